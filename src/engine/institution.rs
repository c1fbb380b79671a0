//! Which of a BIC's directory rows names the institution behind it.
//!
//! One rule, used in two places: `build.rs` applies it once to every BIC listed under more
//! rows than one block holds (Danske Bank's DABADKKKXXX has over 3,000), and writes down the
//! answer; [`super::banks`] applies it at run time to the few rows of every other BIC. The
//! file is included by both, so the two can never disagree (and a test checks the written
//! answers against this rule over the rows themselves).
//!
//! The rule: rows of the BIC's own country first (a foreign bank's SIX participation row is
//! not its name at home), then the name most of those rows share (a German BIC is listed
//! under dozens of branch codes, most of them named after the bank itself); among rows with
//! that name, the lowest bank code; among equals, the last in directory order.

/// One row as the rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub country: &'a str,
    pub bank_code: &'a str,
    pub name: &'a str,
}

/// The index in `rows` (one BIC's rows, in directory order) of the row naming the
/// institution of a BIC whose country code is `home`; `None` when there are no rows.
pub fn pick(rows: &[Row<'_>], home: &str) -> Option<usize> {
    let at_home = rows.iter().any(|r| r.country == home);
    let in_pool = |r: &Row<'_>| !at_home || r.country == home;
    // How many pool rows carry each name: a short list, since a BIC's rows share few names.
    let mut tally: Vec<(&str, usize)> = Vec::new();
    for r in rows.iter().filter(|r| in_pool(r)) {
        match tally.iter_mut().find(|(name, _)| *name == r.name) {
            Some((_, n)) => *n += 1,
            None => tally.push((r.name, 1)),
        }
    }
    let count = |name: &str| tally.iter().find(|(n, _)| *n == name).map_or(0, |t| t.1);
    let mut best: Option<(usize, usize)> = None; // (index, count of its name)
    for (i, r) in rows.iter().enumerate().filter(|(_, r)| in_pool(r)) {
        let n = count(r.name);
        let better = match best {
            None => true,
            // Later rows win ties, so `>=` on (count, lower code).
            Some((b, bn)) => {
                (n, std::cmp::Reverse(r.bank_code)) >= (bn, std::cmp::Reverse(rows[b].bank_code))
            }
        };
        if better {
            best = Some((i, n));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(country: &'a str, bank_code: &'a str, name: &'a str) -> Row<'a> {
        Row {
            country,
            bank_code,
            name,
        }
    }

    #[test]
    fn home_rows_then_the_commonest_name_then_the_lowest_code() {
        let rows = [
            row("CH", "8888", "Foreign Bank AG Zurich branch"),
            row("DE", "300", "Bank"),
            row("DE", "100", "Bank Filiale"),
            row("DE", "200", "Bank"),
        ];
        assert_eq!(pick(&rows, "DE"), Some(3), "two rows say `Bank`; 200 < 300");
        assert_eq!(
            pick(&rows[..1], "DE"),
            Some(0),
            "no home row: all rows count"
        );
        assert_eq!(pick(&[], "DE"), None);
        let ties = [row("DE", "1", "A"), row("DE", "1", "A")];
        assert_eq!(pick(&ties, "DE"), Some(1), "equal rows: the last");
    }
}
