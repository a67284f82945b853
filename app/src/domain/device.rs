//! The device of a session, from its User-Agent, as a member recognises it (ログイン中の端末).

/// User-Agent markers and the name a member knows, first match wins.
const SYSTEMS: &[(&[&str], &str)] = &[
    (&["iPhone"], "iPhone"),
    (&["iPad"], "iPad"),
    (&["Android"], "Android"),
    (&["Windows"], "Windows"),
    (&["CrOS"], "Chromebook"),
    (&["Macintosh", "Mac OS X"], "Mac"),
    (&["Linux"], "Linux"),
];
/// Order matters: Edge, Opera and Samsung's browser also say "Chrome"; every Chromium says
/// "Safari" (Safari itself is told by "Version/", below).
const BROWSERS: &[(&[&str], &str)] = &[
    (&["Edg/", "EdgiOS", "EdgA/"], "Edge"),
    (&["OPR/"], "Opera"),
    (&["SamsungBrowser"], "Samsung Internet"),
    (&["Firefox/", "FxiOS"], "Firefox"),
    (&["Chrome/", "CriOS", "Chromium/"], "Chrome"),
];

fn first_match(user_agent: &str, table: &[(&[&str], &'static str)]) -> Option<&'static str> {
    table.iter().find(|(markers, _)| markers.iter().any(|m| user_agent.contains(m))).map(|(_, name)| *name)
}

/// e.g. 「iPhone・Safari」, 「Windows・Edge」; `None` when neither part is recognised.
pub fn device_name(user_agent: &str) -> Option<String> {
    let os = first_match(user_agent, SYSTEMS);
    let safari = user_agent.contains("Safari/") && user_agent.contains("Version/");
    let browser = first_match(user_agent, BROWSERS).or(safari.then_some("Safari"));
    match (os, browser) {
        (None, None) => None,
        (Some(o), Some(b)) => Some(format!("{o}・{b}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::device_name;

    #[test]
    fn common_devices_are_named() {
        for (ua, name) in [
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "iPhone・Safari"),
            ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Android・Samsung Internet"),
            ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36", "Android・Chrome"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0", "Windows・Edge"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", "Mac・Safari"),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Linux・Firefox"),
        ] {
            assert_eq!(device_name(ua).as_deref(), Some(name), "{ua}");
        }
        assert_eq!(device_name("curl/8.5.0"), None);
        assert_eq!(device_name(""), None);
    }
}
