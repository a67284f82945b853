//! `bench-hash`: the password hash's cost on this machine.

pub(crate) async fn bench_hash() {
    use app::backend::identity::password;
    let hash = password::hash("Bench#Password-1".into()).await.expect("hash");
    let mut times: Vec<f64> = Vec::new();
    for _ in 0..21 {
        let start = std::time::Instant::now();
        assert!(password::verify("Bench#Password-1".into(), hash.clone()).await.expect("a turn to hash"));
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    // Then every core at once: argon2's 19 MiB blocks share the caches and the memory bus, so
    // N hashes at once take longer than one. This rate is what a login storm can reach.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    const EACH: usize = 20;
    let start = std::time::Instant::now();
    let runs: Vec<_> = (0..cores)
        .map(|_| {
            let hash = hash.clone();
            tokio::spawn(async move {
                for _ in 0..EACH {
                    assert!(password::verify("Bench#Password-1".into(), hash.clone()).await.expect("a turn to hash"));
                }
            })
        })
        .collect();
    for run in runs {
        run.await.expect("a hashing run");
    }
    let parallel_rate = (cores * EACH) as f64 / start.elapsed().as_secs_f64();
    // "<median seconds of one hash> <hashes per second with every core busy>"
    println!("{:.6} {parallel_rate:.2}", times[times.len() / 2]);
}
