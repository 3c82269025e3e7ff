//! The language of an article (ISO 639-1) and its writing direction.
//!
//! A page's own declaration (`<html lang>`, `Content-Language`, `og:locale`)
//! wins because the publisher knows; detection with `whatlang` covers files
//! and pages that declare nothing. Codes are reduced to ISO 639-1 so that the
//! library, search and the UI see one spelling ("en", never "en-US" or "eng").

/// ISO 639-3 and 639-2 (B and T) codes that have an ISO 639-1 equivalent,
/// covering every language `whatlang` reports plus common 639-2/B spellings
/// found in `lang` attributes. Languages with no two-letter code map to the
/// closest one that has (`fil` -> `tl`, `cmn` -> `zh`).
const THREE_TO_TWO: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("alb", "sq"),
    ("amh", "am"),
    ("ara", "ar"),
    ("arb", "ar"),
    ("arm", "hy"),
    ("aze", "az"),
    ("baq", "eu"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bos", "bs"),
    ("bul", "bg"),
    ("bur", "my"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("chi", "zh"),
    ("cmn", "zh"),
    ("cym", "cy"),
    ("cze", "cs"),
    ("dan", "da"),
    ("deu", "de"),
    ("dut", "nl"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("eus", "eu"),
    ("fas", "fa"),
    ("fil", "tl"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("fre", "fr"),
    ("geo", "ka"),
    ("ger", "de"),
    ("gle", "ga"),
    ("glg", "gl"),
    ("gre", "el"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ice", "is"),
    ("ind", "id"),
    ("isl", "is"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("kaz", "kk"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mac", "mk"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("may", "ms"),
    ("mkd", "mk"),
    ("msa", "ms"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nno", "nn"),
    ("nob", "nb"),
    ("nor", "no"),
    ("ori", "or"),
    ("pan", "pa"),
    ("per", "fa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("pus", "ps"),
    ("ron", "ro"),
    ("rum", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slo", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("sqi", "sq"),
    ("srp", "sr"),
    ("swa", "sw"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("uig", "ug"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("wel", "cy"),
    ("yid", "yi"),
    ("zho", "zh"),
    ("zsm", "ms"),
    ("zul", "zu"),
];

/// Languages written right to left.
const RTL: &[&str] = &["ar", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"];

/// How much text detection looks at: enough for a confident answer, bounded
/// so a book-length page costs no more than an article.
const DETECT_SAMPLE_CHARS: usize = 4000;

/// Reduces a language tag ("en-US", "pt_BR", "ENG", "iw") to ISO 639-1
/// ("en", "pt", "en", "he"); `None` for tags that are not a language
/// ("x-default", "", "und", private use).
pub(crate) fn normalize_tag(tag: &str) -> Option<String> {
    let primary = tag
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    match primary.len() {
        2 => Some(
            match primary.as_str() {
                // Deprecated codes still found on old pages.
                "iw" => "he",
                "in" => "id",
                "ji" => "yi",
                other => other,
            }
            .to_string(),
        ),
        3 => THREE_TO_TWO
            .iter()
            .find(|(three, _)| *three == primary)
            .map(|(_, two)| (*two).to_string()),
        _ => None,
    }
}

/// The language of `text` by statistical detection, or `None` when the text
/// is too short or too mixed for `whatlang` to be reliable (a wrong language
/// is worse than none: it picks the wrong hyphenation and stemming).
pub(crate) fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(DETECT_SAMPLE_CHARS).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    normalize_tag(info.lang().code())
}

/// True when `lang` (ISO 639-1) is written right to left.
pub(crate) fn is_rtl(lang: &str) -> bool {
    RTL.contains(&lang)
}

/// The writing direction to record: the page's own `dir` when it says "rtl"
/// or "ltr", else "rtl" for right-to-left languages, else unknown.
pub(crate) fn direction(declared: Option<&str>, lang: Option<&str>) -> Option<String> {
    let declared = declared.map(|d| d.trim().to_ascii_lowercase());
    match declared.as_deref() {
        Some(d @ ("rtl" | "ltr")) => Some(d.to_string()),
        _ => lang.filter(|l| is_rtl(l)).map(|_| "rtl".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_reduced_to_iso_639_1() {
        assert_eq!(normalize_tag("en-US").as_deref(), Some("en"));
        assert_eq!(normalize_tag(" pt_BR ").as_deref(), Some("pt"));
        assert_eq!(normalize_tag("ENG").as_deref(), Some("en"));
        assert_eq!(normalize_tag("iw").as_deref(), Some("he"));
        assert_eq!(normalize_tag("zh-Hant-TW").as_deref(), Some("zh"));
        assert_eq!(normalize_tag("x-default"), None);
        assert_eq!(normalize_tag(""), None);
        assert_eq!(normalize_tag("und"), None);
        assert_eq!(normalize_tag("e1"), None);
    }

    #[test]
    fn every_whatlang_language_maps_to_two_letters() {
        for lang in whatlang::Lang::all() {
            let two = normalize_tag(lang.code());
            assert!(
                two.as_deref().is_some_and(|t| t.len() == 2),
                "{} has no ISO 639-1 mapping",
                lang.code()
            );
        }
    }

    #[test]
    fn detection_names_the_language_of_clear_text() {
        let en = "The committee met on Tuesday to discuss the budget for the coming year, \
                  and several members asked for more time to read the proposal.";
        assert_eq!(detect(en).as_deref(), Some("en"));
        let ar =
            "قال الرئيس في مؤتمر صحفي إن الحكومة ستعمل على تحسين الخدمات العامة خلال العام المقبل";
        assert_eq!(detect(ar).as_deref(), Some("ar"));
        assert_eq!(detect("ok"), None);
    }

    #[test]
    fn direction_prefers_the_page_then_the_language() {
        assert_eq!(direction(Some("RTL"), Some("en")).as_deref(), Some("rtl"));
        assert_eq!(direction(Some("ltr"), Some("ar")).as_deref(), Some("ltr"));
        assert_eq!(direction(Some("auto"), Some("he")).as_deref(), Some("rtl"));
        assert_eq!(direction(None, Some("fa")).as_deref(), Some("rtl"));
        assert_eq!(direction(None, Some("en")), None);
        assert_eq!(direction(None, None), None);
    }
}
