//! Web addresses: what Gloss accepts to save, and the key that de-duplicates stories.
//!
//! The same story reaches a reader through many addresses: a newsletter adds
//! `utm_source`, a social site adds `fbclid`, the page link has a `#comments`
//! fragment. [`normalize`] strips that noise so saving the story twice finds
//! the first copy instead of making a second one. The tracking-parameter list
//! is Gloss's own (the ClearURLs rules are LGPL and are not copied here).
//!
//! Not every fragment is noise: on a hash-bang or app address
//! (`twitter.com/#!/jack/status/20`, `mail.example/#inbox/123`,
//! `app.example/#/article/5`) the fragment is the only part that says which
//! story it is, and dropping it would make every story of the site one story.
//! So a fragment that starts with `!` or contains `/` is kept; a plain in-page
//! anchor (`#comments`, `#section-2`) is dropped.

use url::Url;

use crate::error::{Error, Result};

/// Query parameters that only say where a click came from, compared
/// case-insensitively after percent-decoding. Each was chosen because it never
/// changes what a page shows: removing it gives the same story.
const TRACKING_PARAMS: &[&str] = &[
    // Ad click identifiers (Google, Microsoft, Meta, Yandex, TikTok, X, LinkedIn).
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "ttclid",
    "twclid",
    "li_fat_id",
    "epik",
    "srsltid",
    // Google Analytics cross-domain linker.
    "_ga",
    "_gl",
    // Mailchimp, HubSpot, Marketo, Vero and similar mailers.
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "__hstc",
    "__hssc",
    "__hsfp",
    "hsctatracking",
    "mkt_tok",
    "vero_id",
    "vero_conv",
    "wickedid",
    "s_cid",
    // Social share markers.
    "igshid",
    "igsh",
    "ref_src",
    "ref_url",
    "_openstat",
    "rb_clickid",
];

/// Prefixes of whole families of campaign parameters (Google's `utm_*`,
/// Outbrain's `oly_*`, Matomo's `pk_*` and `mtm_*`).
const TRACKING_PREFIXES: &[&str] = &["utm_", "oly_", "pk_", "mtm_"];

/// How much of a rejected input is echoed back in an error message: enough to
/// recognise it, not a whole `data:` URL.
const ECHO_CHARS: usize = 80;

/// Parses what a person typed or pasted as the address of a page to save.
///
/// Only `http` and `https` are accepted: the fetcher speaks nothing else and a
/// `file:` or `javascript:` address must never reach it. Addresses with a
/// user name or password are refused because the credentials would be stored
/// in the library and shown in the UI. A bare `example.com/page` (no scheme)
/// is read as `https://example.com/page`, as browsers and read-later apps do.
pub fn parse_web_url(input: &str) -> Result<Url> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Error::InvalidInput(
            "the address is empty; paste a web address that starts with http:// or https://".into(),
        ));
    }
    let url = match Url::parse(input) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) if looks_like_bare_host(input) => {
            Url::parse(&format!("https://{input}")).map_err(|e| invalid_url(input, e))?
        }
        Err(e) => return Err(invalid_url(input, e)),
    };
    check_web_url(&url, input)?;
    Ok(url)
}

/// Checks that an already parsed URL is one Gloss may fetch (http or https,
/// a host, no credentials). The fetcher calls it too, so that a URL built in
/// code is held to the same rules as one typed by a person.
pub fn check_web_url(url: &Url, shown_as: &str) -> Result<()> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::InvalidInput(format!(
            "only http and https URLs can be saved, not {}; use the web address of the page",
            echo(shown_as)
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::InvalidInput(format!(
            "{} has no host name; use a full address such as https://example.com/page",
            echo(shown_as)
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Never echo the password back: show the address without the credentials.
        let mut shown = url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        return Err(Error::InvalidInput(format!(
            "addresses with a user name or password are not saved ({}); remove the user:password@ part",
            echo(shown.as_str())
        )));
    }
    Ok(())
}

/// The de-duplication key of a story's address: [`clean`] as a string.
pub fn normalize(url: &Url) -> String {
    clean(url).to_string()
}

/// The address without what does not change the page: an in-page anchor
/// (see [`fragment_addresses_content`]), tracking parameters and an empty
/// query. Other parameters keep their order and their exact spelling, because
/// some sites depend on both. Host case and default ports are already
/// canonical in a parsed [`Url`] (the `url` crate lowercases hosts of
/// http/https and drops `:80`/`:443`).
pub fn clean(url: &Url) -> Url {
    let mut out = url.clone();
    if !url.fragment().is_some_and(fragment_addresses_content) {
        out.set_fragment(None);
    }
    let kept = url.query().map(|query| {
        query
            .split('&')
            .filter(|pair| !pair.is_empty() && !is_tracking_pair(pair))
            .collect::<Vec<_>>()
            .join("&")
    });
    match kept {
        Some(query) if !query.is_empty() => out.set_query(Some(&query)),
        _ => out.set_query(None),
    }
    out
}

/// Whether a fragment (without its `#`) picks the content rather than a
/// place in the page: a hash-bang (`!/jack/status/20`, `!topic/rust/abc`) or
/// a route with a slash (`inbox/123`, `/article/5`), as single-page sites and
/// web apps use them. Anything else (`comments`, `section-2`, an empty `#`)
/// is an anchor in a page that is the same story without it.
pub fn fragment_addresses_content(fragment: &str) -> bool {
    // `#!`, `#/` and `#!/` alone name no route: the site's home page.
    let route = fragment.trim_start_matches('!').trim_matches('/');
    (fragment.starts_with('!') || fragment.contains('/')) && !route.is_empty()
}

/// Whether one raw `name=value` query piece is a tracking parameter.
fn is_tracking_pair(pair: &str) -> bool {
    let raw_name = pair.split('=').next().unwrap_or(pair);
    let name = percent_decode(raw_name).to_ascii_lowercase();
    TRACKING_PARAMS.contains(&name.as_str())
        || TRACKING_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Decodes `%XX` escapes and `+` (form encoding) so that `utm%5Fsource`
/// is recognised as `utm_source`. Invalid escapes are kept as they are.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `example.com/page` or `www.example.com`: no scheme, no spaces, and a dot in
/// the part before the first slash.
fn looks_like_bare_host(input: &str) -> bool {
    let host = input.split(['/', '?', '#']).next().unwrap_or("");
    !input.contains(char::is_whitespace) && host.contains('.') && !host.starts_with('.')
}

fn invalid_url(input: &str, e: url::ParseError) -> Error {
    Error::InvalidInput(format!(
        "{} is not a valid web address ({e}); use a full address such as https://example.com/page",
        echo(input)
    ))
}

/// The input shortened for an error message, on one line.
fn echo(input: &str) -> String {
    let one_line: String = input
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > ECHO_CHARS {
        let short: String = one_line.chars().take(ECHO_CHARS).collect();
        format!("{short}…")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn n(s: &str) -> String {
        normalize(&Url::parse(s).unwrap())
    }

    #[test]
    fn accepts_http_and_https_and_trims() {
        let url = parse_web_url("  https://example.com/a?b=1 \n").unwrap();
        assert_eq!(url.as_str(), "https://example.com/a?b=1");
        assert_eq!(
            parse_web_url("http://example.com").unwrap().as_str(),
            "http://example.com/"
        );
    }

    #[test]
    fn bare_host_is_read_as_https() {
        assert_eq!(
            parse_web_url("example.com/news/1").unwrap().as_str(),
            "https://example.com/news/1"
        );
        assert_eq!(
            parse_web_url("localhost").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            parse_web_url("not a url").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn rejects_other_schemes_naming_them() {
        for input in [
            "ftp://example.com/file",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,<p>hi</p>",
            "mailto:someone@example.com",
        ] {
            let err = parse_web_url(input).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{input}");
            let msg = err.to_string();
            assert!(
                msg.starts_with("only http and https URLs can be saved, not "),
                "{msg}"
            );
            assert!(msg.contains(input), "{msg}");
        }
    }

    #[test]
    fn long_inputs_are_shortened_and_kept_on_one_line() {
        let input = format!("data:text/plain,{}\nmore", "x".repeat(500));
        let msg = parse_web_url(&input).unwrap_err().to_string();
        assert!(msg.len() < 250, "{msg}");
        assert!(msg.contains('…'));
        assert!(!msg.contains('\n'));
    }

    #[test]
    fn rejects_credentials_without_echoing_the_password() {
        let err = parse_web_url("https://alice:s3cret@example.com/x").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert!(err.to_string().contains("example.com/x"), "{err}");
        assert_eq!(
            parse_web_url("https://alice@example.com/")
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn rejects_empty_and_hostless() {
        assert_eq!(
            parse_web_url("   ").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            parse_web_url("https://").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
        assert_eq!(
            parse_web_url("http:").unwrap_err().kind(),
            ErrorKind::InvalidInput
        );
    }

    #[test]
    fn drops_anchor_tracking_and_empty_query() {
        assert_eq!(
            n("https://Example.COM:443/story?utm_source=x&id=7&fbclid=abc#comments"),
            "https://example.com/story?id=7"
        );
        assert_eq!(n("http://example.com:80/a?"), "http://example.com/a");
        assert_eq!(
            n("http://example.com/a?utm_medium=email"),
            "http://example.com/a"
        );
        assert_eq!(n("http://example.com:8080/a"), "http://example.com:8080/a");
        assert_eq!(n("https://e.com/a#"), "https://e.com/a");
        assert_eq!(n("https://e.com/a#section-2"), "https://e.com/a");
    }

    #[test]
    fn keeps_fragments_that_address_content() {
        // Hash-bang and app routes: the fragment is which story it is.
        assert_eq!(
            n("https://twitter.com/#!/jack/status/20"),
            "https://twitter.com/#!/jack/status/20"
        );
        assert_eq!(
            n("https://groups.google.com/forum/?utm_source=x#!topic/rust/abc"),
            "https://groups.google.com/forum/#!topic/rust/abc"
        );
        assert_eq!(
            n("https://mail.example/#inbox/123"),
            "https://mail.example/#inbox/123"
        );
        assert_eq!(
            n("https://app.example/#/article/5"),
            "https://app.example/#/article/5"
        );
        // Three statuses of one site stay three stories.
        let keys: std::collections::HashSet<String> = [
            "https://twitter.com/#!/jack/status/20",
            "https://twitter.com/#!/jack/status/21",
            "https://twitter.com/#!/biz/status/22",
            "https://twitter.com/",
        ]
        .into_iter()
        .map(n)
        .collect();
        assert_eq!(keys.len(), 4);
        // A bang or a slash alone names no route: the home page.
        for bare in ["https://e.com/#!", "https://e.com/#/", "https://e.com/#!/"] {
            assert_eq!(n(bare), "https://e.com/", "{bare}");
        }
    }

    #[test]
    fn tracking_names_match_case_insensitively_and_encoded() {
        assert_eq!(
            n("https://e.com/?UTM_Source=a&GCLID=b&utm%5Fcampaign=c&MC_EID=d&keep=1"),
            "https://e.com/?keep=1"
        );
        assert_eq!(
            n("https://e.com/p?oly_enc_id=1&_hsenc=2&mkt_tok=3&igshid=4&ref_src=5&pk_kwd=6"),
            "https://e.com/p"
        );
    }

    #[test]
    fn keeps_other_params_in_order_and_spelling() {
        assert_eq!(
            n("https://e.com/s?z=1&utm_term=x&a=%20b+c&ref=main&q"),
            "https://e.com/s?z=1&a=%20b+c&ref=main&q"
        );
        // Repeated and valueless parameters survive; empty pieces do not.
        assert_eq!(
            n("https://e.com/?a=1&&a=2&flag"),
            "https://e.com/?a=1&a=2&flag"
        );
        // A value that merely contains a tracking name is kept.
        assert_eq!(
            n("https://e.com/?q=utm_source"),
            "https://e.com/?q=utm_source"
        );
    }

    #[test]
    fn normalize_is_clean_as_string() {
        let url = Url::parse("https://e.com/a?fbclid=1&x=2#top").unwrap();
        assert_eq!(normalize(&url), clean(&url).to_string());
        assert_eq!(clean(&url).query(), Some("x=2"));
        assert_eq!(clean(&url).fragment(), None);
        let app = Url::parse("https://e.com/?fbclid=1#!/post/9").unwrap();
        assert_eq!(normalize(&app), clean(&app).to_string());
        assert_eq!(clean(&app).fragment(), Some("!/post/9"));
    }

    /// A small deterministic generator so the property tests need no extra crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
    }

    #[test]
    fn property_clean_is_idempotent_and_keeps_only_real_params() {
        let hosts = [
            "Example.com",
            "news.EXAMPLE.org:443",
            "127.0.0.1:8080",
            "xn--bcher-kva.de",
        ];
        let names = [
            "utm_source",
            "UTM_Medium",
            "fbclid",
            "id",
            "page",
            "q",
            "gclid",
            "oly_anon_id",
            "Ref_Src",
            "lang",
            "_hsmi",
            "s",
            "utm%5Fterm",
            "",
        ];
        let values = ["1", "", "a%20b", "x+y", "%E2%9C%93", "=", "utm_source"];
        let fragments = [
            "",
            "#",
            "#frag",
            "#comments",
            "#!",
            "#!/jack/status/20",
            "#!topic/rust/abc",
            "#inbox/123",
            "#/article/5",
        ];
        let mut rng = Lcg(42);
        // Key -> what the address is (scheme, host, port, path, the query
        // pieces kept, the content fragment): one key per story, both ways.
        let mut stories: std::collections::HashMap<String, String> = Default::default();
        let mut keys: std::collections::HashMap<String, String> = Default::default();
        for _ in 0..2000 {
            let scheme = if rng.next(2) == 0 { "http" } else { "https" };
            let host = hosts[rng.next(hosts.len())];
            let mut pairs = Vec::new();
            for _ in 0..rng.next(6) {
                let name = names[rng.next(names.len())];
                let value = values[rng.next(values.len())];
                pairs.push(if rng.next(4) == 0 {
                    name.to_string()
                } else {
                    format!("{name}={value}")
                });
            }
            let query = if pairs.is_empty() && rng.next(2) == 0 {
                String::new()
            } else {
                format!("?{}", pairs.join("&"))
            };
            let fragment = fragments[rng.next(fragments.len())];
            let raw = format!("{scheme}://{host}/path/{}{query}{fragment}", rng.next(100));
            let url = Url::parse(&raw).unwrap();

            let once = clean(&url);
            let twice = clean(&once);
            assert_eq!(once, twice, "not idempotent for {raw}");
            assert_eq!(normalize(&once), normalize(&url), "{raw}");
            // A content fragment is kept as written; an anchor is gone.
            let content = url.fragment().filter(|f| fragment_addresses_content(f));
            assert_eq!(once.fragment(), content, "{raw}");
            assert_ne!(once.query(), Some(""), "{raw}");

            let kept: Vec<&str> = once
                .query()
                .map(|q| q.split('&').collect())
                .unwrap_or_default();
            for piece in &kept {
                assert!(!is_tracking_pair(piece), "{raw} kept {piece}");
            }
            // The non-tracking pieces, in their original order, are exactly what is kept.
            let expected: Vec<&str> = url
                .query()
                .map(|q| {
                    q.split('&')
                        .filter(|p| !p.is_empty() && !is_tracking_pair(p))
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(kept, expected, "{raw}");
            let story = format!(
                "{} {:?} {:?} {} {:?} {:?}",
                url.scheme(),
                url.host_str(),
                url.port(),
                url.path(),
                expected,
                content
            );
            let key = normalize(&url);
            if let Some(before) = stories.insert(key.clone(), story.clone()) {
                assert_eq!(before, story, "{raw}: two stories share the key {key}");
            }
            if let Some(before) = keys.insert(story, key.clone()) {
                assert_eq!(before, key, "{raw}: one story, two keys");
            }
            // The cleaned URL is still one the fetcher accepts.
            assert_eq!(parse_web_url(once.as_str()).unwrap(), once);
        }
    }
}
