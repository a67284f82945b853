//! 和暦 labels for the birth-year pulldown: 「1985（昭和60）」.

/// (first day as (y, m, d), name)
pub(crate) const ERAS: &[((i32, u32, u32), &str)] =
    &[((2019, 5, 1), "令和"), ((1989, 1, 8), "平成"), ((1926, 12, 25), "昭和"), ((1912, 7, 30), "大正"), ((1868, 1, 25), "明治")];

fn era_year(name: &str, start: i32, year: i32) -> String {
    let n = year - start + 1;
    if n == 1 {
        format!("{name}元")
    } else {
        format!("{name}{n}")
    }
}

/// The eras a Gregorian year belongs to, e.g. 1989 → 「昭和64/平成元」.
pub fn wareki(year: i32) -> String {
    let Some(pos) = ERAS.iter().position(|((sy, _, _), _)| *sy <= year) else {
        return String::new();
    };
    let ((sy, sm, sd), name) = ERAS[pos];
    let current = era_year(name, sy, year);
    // A year where an era began after 1 January also belongs to the era before it.
    match ERAS.get(pos + 1) {
        Some(((py, _, _), previous)) if sy == year && (sm, sd) != (1, 1) => format!("{}/{current}", era_year(previous, *py, year)),
        _ => current,
    }
}

/// The pulldown label 「1985（昭和60）」.
pub fn year_label(year: i32) -> String {
    format!("{year}（{}）", wareki(year))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_eras() {
        assert_eq!(year_label(1985), "1985（昭和60）");
        assert_eq!(wareki(1989), "昭和64/平成元");
        assert_eq!(wareki(1990), "平成2");
        assert_eq!(wareki(2019), "平成31/令和元");
        assert_eq!(wareki(2026), "令和8");
        assert_eq!(wareki(1926), "大正15/昭和元");
        assert_eq!(wareki(1927), "昭和2");
        assert_eq!(wareki(1912), "明治45/大正元");
        assert_eq!(wareki(1900), "明治33");
    }
}
