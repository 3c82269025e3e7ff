//! Approximate search: where in a text a pattern occurs with at most `k`
//! edits (insertions, deletions, substitutions), by Sellers' dynamic
//! programming. Its cost is text × pattern, so it runs near the expected place
//! when there is one, and over a whole text only when that is affordable.

/// Work beyond which the whole text is not searched (cells of the table).
const WHOLE_TEXT_BUDGET: usize = 20_000_000;

/// Candidate spans `[start, end)` whose edit distance to `pattern` is at most
/// `k`, best (fewest edits) first: near `expected` when given, else anywhere.
pub fn find(
    text: &[char],
    pattern: &[char],
    k: usize,
    expected: Option<usize>,
) -> Vec<(usize, usize)> {
    let m = pattern.len();
    if m == 0 || text.is_empty() {
        return Vec::new();
    }
    match expected {
        // A near-match far from where the words were is more likely other
        // words that look alike than the same words edited: look near only.
        Some(x) => {
            let margin = (4 * m).max(2000);
            let lo = x.saturating_sub(margin).min(text.len());
            let hi = (x + m + margin).min(text.len());
            search(text, lo, hi, pattern, k)
        }
        None if text.len().saturating_mul(m) <= WHOLE_TEXT_BUDGET => {
            search(text, 0, text.len(), pattern, k)
        }
        None => Vec::new(),
    }
}

/// Matches within `text[lo..hi]`, as absolute offsets.
fn search(text: &[char], lo: usize, hi: usize, pattern: &[char], k: usize) -> Vec<(usize, usize)> {
    let window = &text[lo..hi];
    let m = pattern.len();
    // col[i] = edits to match pattern[..i] ending at the current text position.
    let mut col: Vec<usize> = (0..=m).collect();
    let mut ends: Vec<(usize, usize)> = Vec::new(); // (end, edits)
    for (j, &c) in window.iter().enumerate() {
        let mut diag = col[0];
        col[0] = 0; // a match may start anywhere
        for i in 1..=m {
            let up = col[i];
            let cost = usize::from(pattern[i - 1] != c);
            col[i] = (diag + cost).min(col[i - 1] + 1).min(up + 1);
            diag = up;
        }
        if col[m] <= k {
            ends.push((j + 1, col[m]));
        }
    }
    // Keep the best end of each run of neighbouring ends.
    let mut best: Vec<(usize, usize)> = Vec::new();
    for (end, edits) in ends {
        match best.last_mut() {
            // Ends this close belong to one match; keep its cheapest end.
            Some(last) if end <= last.0 + k.max(1) => {
                if edits < last.1 {
                    *last = (end, edits);
                }
            }
            _ => best.push((end, edits)),
        }
    }
    best.sort_by_key(|&(_, edits)| edits);
    best.into_iter()
        .filter_map(|(end, _)| start_of(window, end, pattern, k).map(|s| (lo + s, lo + end)))
        .collect()
}

/// The start of the best match that ends at `end`: the same table run
/// backwards over the reversed pattern.
fn start_of(window: &[char], end: usize, pattern: &[char], k: usize) -> Option<usize> {
    let m = pattern.len();
    let from = end.saturating_sub(m + k);
    let mut best: Option<(usize, usize)> = None; // (edits, start)
                                                 // col[i] = edits to match the last i pattern chars, ending exactly at `end`.
    let mut col: Vec<usize> = (0..=m).collect();
    for (steps, j) in (from..end).rev().enumerate() {
        let c = window[j];
        let mut diag = col[0];
        col[0] = steps + 1; // the match must end at `end`: skipping text costs
        for i in 1..=m {
            let up = col[i];
            let cost = usize::from(pattern[m - i] != c);
            col[i] = (diag + cost).min(col[i - 1] + 1).min(up + 1);
            diag = up;
        }
        if col[m] <= k && best.is_none_or(|(e, _)| col[m] <= e) {
            best = Some((col[m], j));
        }
    }
    best.map(|(_, start)| start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn finds_a_pattern_with_a_few_edits() {
        let text = chars("the quick brown fox jumps over the lazy dog");
        let hits = find(&text, &chars("brwn fox jumps"), 1, None);
        let (s, e) = hits[0];
        assert_eq!(text[s..e].iter().collect::<String>(), "brown fox jumps");
    }

    #[test]
    fn finds_nothing_beyond_the_allowed_edits() {
        let text = chars("the quick brown fox jumps over the lazy dog");
        assert!(find(&text, &chars("purple cat sleeps"), 2, None).is_empty());
    }

    #[test]
    fn prefers_the_closest_match_to_the_expected_place_when_searching_near_it() {
        let mut text = "x".repeat(10_000);
        text.push_str("needle in hay");
        let text = chars(&text);
        let hits = find(&text, &chars("needle in hay"), 1, Some(10_000));
        assert_eq!(hits[0], (10_000, 10_013));
    }
}
