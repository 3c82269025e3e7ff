//! Times re-anchoring: 10,000 highlights over real article texts (the
//! scrapinghub ground truth of ../shared/corpus, read in place), after each
//! text gained a new first paragraph and lost a sentence. Used by
//! `bench/annotate.sh`; prints one `name=value` line per figure.
//!
//! usage: anchor_timing GROUND_TRUTH_JSON [ANNOTATIONS]

use std::time::Instant;

use gloss_core::annotate::{anchor, Placement, Text};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: anchor_timing GROUND_TRUTH_JSON [ANNOTATIONS]")?;
    let wanted: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let gt: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
    let texts: Vec<String> = gt
        .as_object()
        .ok_or("ground truth is not an object")?
        .values()
        .filter_map(|v| v["articleBody"].as_str().map(str::to_string))
        .filter(|t| t.chars().count() > 1000)
        .collect();
    if texts.is_empty() {
        return Err("no texts".into());
    }
    // Highlights: every 97th character starts one, 20 to 80 characters long,
    // round-robin over the texts until there are enough.
    let mut work = Vec::new();
    let mut n = 0usize;
    'outer: loop {
        for t in &texts {
            let text = Text::new(t);
            let len = 20 + (n * 7) % 60;
            let start = (n * 97) % (text.len() - len);
            if let Some(sel) = text.selectors(start, start + len) {
                work.push((t, sel));
                n += 1;
                if work.len() >= wanted {
                    break 'outer;
                }
            }
        }
    }
    // The edit: a new first paragraph, and the second sentence of each text removed.
    let edited: Vec<(String, &String)> = texts
        .iter()
        .map(|t| {
            let cut = t.find(". ").map(|i| i + 2).unwrap_or(0);
            let end = t[cut..].find(". ").map(|i| cut + i + 2).unwrap_or(cut);
            (
                format!(
                    "An editor's note was added at the top of this story.\n{}{}",
                    &t[..cut],
                    &t[end..]
                ),
                t,
            )
        })
        .collect();
    let start = Instant::now();
    let (mut position, mut quote, mut fuzzy, mut orphaned) = (0, 0, 0, 0);
    let mut texts_done = std::collections::HashMap::new();
    for (original, (q, p)) in &work {
        let new_text = edited
            .iter()
            .find(|(_, o)| std::ptr::eq(*o, *original))
            .map(|(e, _)| e)
            .ok_or("lost text")?;
        let text = texts_done
            .entry(new_text.as_ptr())
            .or_insert_with(|| Text::new(new_text));
        match anchor(text, q, Some(*p)) {
            Some((_, Placement::Position)) => position += 1,
            Some((_, Placement::Quote)) => quote += 1,
            Some((_, Placement::Fuzzy)) => fuzzy += 1,
            None => orphaned += 1,
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!("annotations={}", work.len());
    println!("texts={}", texts.len());
    println!("total_ms={:.1}", elapsed * 1000.0);
    println!("per_annotation_us={:.1}", elapsed * 1e6 / work.len() as f64);
    println!("placed_by_position={position}");
    println!("placed_by_quote={quote}");
    println!("placed_fuzzily={fuzzy}");
    println!("orphaned={orphaned}");
    Ok(())
}
