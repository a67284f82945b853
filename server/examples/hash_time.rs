//! `make bench` helper: the median wall time of one argon2id verification with the
//! production parameters, on one core. Prints seconds.

use app::backend::password;
use std::time::Instant;

#[tokio::main]
async fn main() {
    let hash = password::hash("Bench#Password-1".into()).await.expect("hash");
    let mut times: Vec<f64> = Vec::new();
    for _ in 0..21 {
        let start = Instant::now();
        assert!(password::verify("Bench#Password-1".into(), hash.clone()).await);
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    println!("{:.6}", times[times.len() / 2]);
}
