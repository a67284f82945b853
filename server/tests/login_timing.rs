//! Response time must not tell whether a login ID exists. Alone in its binary: other tests
//! hashing at the same time would make the two medians wait for different queues.

mod common;

/// Response time must not tell whether an ID exists (dummy hash).
#[tokio::test]
async fn an_unknown_id_costs_the_same_time_as_a_wrong_password() {
    let t = common::sqlite().await;
    let (state, clock) = common::member_with_account(&t).await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..8 {
        for (list, id) in [(&mut known, "yamada.taro"), (&mut unknown, "nobody.here")] {
            let start = std::time::Instant::now();
            let _ = common::login(&state, Some(&format!("10.1.{i}.1")), id, "Wrong#Pass1").await;
            list.push(start.elapsed().as_secs_f64());
        }
        clock.advance(3600); // stay clear of the throttle
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let ratio = median(&mut known) / median(&mut unknown);
    assert!((0.5..2.0).contains(&ratio), "known/unknown time ratio {ratio}");
}
