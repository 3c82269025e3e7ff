//! Script and mutation-XSS vectors in a saved page. Each vector is served
//! inside an article from the fixture server, saved into a library, and the
//! stored HTML must pass the oracle while the prose around it is kept.
//!
//! [`VECTORS`] is also replayed through imports and feeds (`imports.rs`,
//! `xml.rs`): the sanitizer runs on every way in.

use crate::oracle::assert_safe;
use crate::{page, save_html};

/// Saves a page carrying `payload` and checks what was stored.
fn assert_page_safe(name: &str, payload: &str) {
    let story = save_html(&page("The harbour log", "", payload));
    assert_safe(name, &story.html);
    // The article's text before the trap is always kept. (Some traps, such
    // as an unclosed `<textarea>`, swallow what follows them in a browser
    // too; those are removed with what they swallowed.)
    assert!(
        story.text.contains("Paragraph 1 about the harbour")
            && story.text.contains("Paragraph 2 about the harbour"),
        "{name}: the article's own text is kept: {}",
        story.text
    );
    // Text that merely reads like markup is escaped; a raw tag never is.
    let lower = story.html.to_ascii_lowercase();
    for needle in [
        "<script",
        "<svg",
        "<math",
        "<iframe",
        "<style",
        "<img src=x",
    ] {
        assert!(
            !lower.contains(needle),
            "{name}: {needle} survived in the stored HTML: {}",
            story.html
        );
    }
}

macro_rules! vectors {
    ($($name:ident: $payload:expr;)*) => {
        /// Every vector, by name, for the suites that replay them.
        pub const VECTORS: &[(&str, &str)] = &[$((stringify!($name), $payload)),*];
        $(
            #[test]
            fn $name() {
                assert_page_safe(stringify!($name), $payload);
            }
        )*
    };
}

vectors! {
    script_element: "<script>alert(1)</script>";
    script_with_src_and_odd_casing: "<ScRiPt SRC=https://evil.example/x.js></sCrIpT>";
    script_split_by_nesting: "<scr<script>ipt>alert(1)</scr</script>ipt>";
    event_handlers_on_text: "<p onclick=\"alert(1)\" onmouseover='alert(2)' ONFOCUS=alert(3) tabindex=0>hover</p>";
    image_onerror: "<img src=x onerror=alert(1)><img src=\"https://img.example/a.png\" onload=\"alert(2)\">";
    details_ontoggle: "<details open ontoggle=alert(1)><summary>s</summary>d</details>";
    javascript_href_plain: "<a href=\"javascript:alert(1)\">keeper's log</a>";
    javascript_href_casing_and_spaces: "<a href=\"  JaVaScRiPt:alert(1)\">a</a><a href=\"\u{1}javascript:alert(1)\">b</a>";
    javascript_href_tab_and_newline: "<a href=\"java\tscript:alert(1)\">a</a><a href=\"java\nscript:alert(1)\">b</a><a href=\"java&#x0A;script:alert(1)\">c</a>";
    javascript_href_entities: "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">a</a><a href=\"&#x6A;avascript&colon;alert(1)\">b</a><a href=\"javascript&#0000058alert(1)\">c</a>";
    javascript_in_every_url_attribute: "<img src=\"javascript:alert(1)\" lowsrc=\"javascript:alert(2)\" dynsrc=\"javascript:alert(3)\" longdesc=\"javascript:alert(4)\" usemap=\"javascript:alert(5)\">\
        <blockquote cite=\"javascript:alert(6)\">q</blockquote><q cite=\"javascript:alert(7)\">q</q><del cite=\"javascript:alert(8)\">d</del>\
        <table background=\"javascript:alert(9)\"><tr><td background=\"javascript:alert(10)\">t</td></tr></table>\
        <a href=\"https://ok.example/\" ping=\"javascript:alert(11)\">ok</a><area href=\"javascript:alert(12)\">\
        <video poster=\"javascript:alert(13)\" src=\"javascript:alert(14)\"></video><audio src=\"javascript:alert(15)\"></audio>\
        <input type=image src=\"javascript:alert(16)\"><button formaction=\"javascript:alert(17)\">go</button>\
        <img srcset=\"javascript:alert(18) 2x\" src=\"https://img.example/b.png\">";
    data_urls: "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">d</a>\
        <img src=\"data:image/svg+xml,&lt;svg onload=alert(1)&gt;\"><img src=\"DATA:image/png;base64,iVBORw0KGgo=\">";
    vbscript_urls: "<a href=\"vbscript:msgbox(1)\">v</a><img src=\"VBScript:msgbox(1)\">";
    svg_onload_and_script: "<svg onload=alert(1)><script>alert(2)</script><circle r=4 /></svg>";
    svg_link_and_animate: "<svg><a xlink:href=\"javascript:alert(1)\"><text>t</text></a>\
        <animate attributeName=href values=\"javascript:alert(2)\"/><set attributeName=onmouseover to=alert(3) />\
        <use href=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\"/></svg>";
    svg_foreign_object: "<svg><foreignObject><iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe><img src=x onerror=alert(2)></foreignObject></svg>";
    math_href_and_mglyph: "<math href=\"javascript:alert(1)\"><mi xlink:href=\"javascript:alert(2)\">x</mi></math>\
        <math><mtext><table><mglyph><style><img src=x onerror=alert(3)>";
    iframe_src_and_srcdoc: "<iframe src=\"javascript:alert(1)\"></iframe><iframe srcdoc=\"&lt;img src=x onerror=alert(2)&gt;\"></iframe>\
        <iframe src=\"https://evil.example/\"></iframe><frameset onload=alert(3)><frame src=\"javascript:alert(4)\"></frameset>";
    object_embed_applet: "<object data=\"javascript:alert(1)\"><param name=src value=\"javascript:alert(2)\"></object>\
        <embed src=\"data:text/html,&lt;script&gt;alert(3)&lt;/script&gt;\"><applet code=\"x.class\"></applet>";
    forms_and_inputs: "<form action=\"javascript:alert(1)\" method=post><input name=q autofocus onfocus=alert(2)>\
        <textarea>secret</textarea><select><option>o</option></select><button>Subscribe</button><keygen><isindex action=javascript:alert(3)></form>";
    base_href: "<base href=\"javascript:alert(1)//\"><a href=\"relative/path\">rel</a><base href=\"https://evil.example/\">";
    meta_refresh_and_link: "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">\
        <meta http-equiv=\"Content-Security-Policy\" content=\"script-src *\"><link rel=import href=\"https://evil.example/x\">";
    css_url_import_expression: "<style>@import url(\"javascript:alert(1)\"); body{background:url(javascript:alert(2))}</style>\
        <p style=\"background-image:url(javascript:alert(3))\">s</p><div style=\"width:expression(alert(4))\">e</div>\
        <link rel=stylesheet href=\"https://evil.example/s.css\"><p style=\"-moz-binding:url(https://evil.example/x.xml#x)\">m</p>";
    noscript_parsing_trick: "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>";
    template_content: "<template><script>alert(1)</script><img src=x onerror=alert(2)></template>";
    mxss_svg_style_reparse: "<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">";
    mxss_math_textarea: "<math><mi><mglyph><svg><mtext><textarea><path id=\"</textarea><img onerror=alert(1) src=1>\">";
    mxss_nested_forms: "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>";
    raw_text_elements: "<xmp><img src=x onerror=alert(1)></xmp><noembed><img src=x onerror=alert(2)></noembed>\
        <noframes><img src=x onerror=alert(3)></noframes><listing>&lt;img src=x onerror=alert(4)&gt;</listing>";
    comment_tricks: "<!--><img src=x onerror=alert(1)>--><!-- --!><img src=x onerror=alert(2)>-->\
        <![CDATA[><img src=x onerror=alert(3)>]]><?xml-stylesheet href=\"javascript:alert(4)\"?>";
    custom_and_obsolete_elements: "<x-widget onclick=alert(1)>w</x-widget><marquee onstart=alert(2)>m</marquee>\
        <bgsound src=\"javascript:alert(3)\"><blink>b</blink><image src=x onerror=alert(4)>";
    attribute_breakouts: "<img alt=\"\" onerror=alert(1) \" src=x><img src=x alt=`` onerror=alert(2)>\
        <a href=\"https://ok.example/\"\"onmouseover=alert(3)>o</a><img/src=x/onerror=alert(4)>";
    target_and_rel: "<a href=\"https://ok.example/page\" target=\"_top\" rel=\"opener\">link</a><a href=\"//cdn.example/x\">proto</a>";
    portal_and_dialog: "<portal src=\"https://evil.example/\"></portal><dialog open onclose=alert(1)>d</dialog>\
        <slot onslotchange=alert(2)></slot><search onclick=alert(3)>s</search>";
}

/// Links that are kept are absolute http(s)/mailto, open in no named frame
/// and carry `noopener noreferrer`; a relative link is resolved against the
/// page, not a hostile `<base>`.
#[test]
fn kept_links_are_absolute_and_cannot_reach_the_opener() {
    let story = save_html(&page(
        "The harbour log",
        "",
        "<p><a href=\"https://ok.example/page\" target=\"_top\" rel=\"opener\">ok link</a> \
         <a href=\"//cdn.example/x\">proto link</a> <a href=\"mailto:ed@example.com\">mail link</a></p>",
    ));
    assert_safe("links", &story.html);
    assert!(
        story.html.contains("href=\"https://ok.example/page\""),
        "{}",
        story.html
    );
    assert!(
        story.html.contains("href=\"http://cdn.example/x\""),
        "{}",
        story.html
    );
    assert!(
        story.html.contains("href=\"mailto:ed@example.com\""),
        "{}",
        story.html
    );
    assert!(!story.html.contains("target="), "{}", story.html);
    assert!(!story.html.contains("opener\""), "{}", story.html);
    assert!(
        story.html.contains("rel=\"noopener noreferrer\""),
        "{}",
        story.html
    );
}

/// A hostile `<base href="javascript:">` in the head cannot turn the page's
/// relative links into script: they are dropped to their text.
#[test]
fn a_script_base_in_the_head_does_not_turn_links_into_script() {
    let story = save_html(&page(
        "The harbour log",
        "<base href=\"javascript:alert(1)//\">",
        "<p>See <a href=\"notes/today\">the notes</a>.</p>",
    ));
    assert_safe("base in head", &story.html);
    assert!(story.text.contains("See the notes."), "{}", story.text);
    assert!(
        !story.html.to_ascii_lowercase().contains("javascript"),
        "{}",
        story.html
    );
}

/// The page's `<title>` and metadata are text: markup in them is never HTML.
#[test]
fn markup_in_title_and_metadata_stays_text() {
    let head = "<meta name=\"author\" content=\"<img src=x onerror=alert(1)>\">\
                <meta property=\"og:site_name\" content=\"<script>alert(2)</script>\">\
                <meta name=\"description\" content=\"<svg onload=alert(3)>\">";
    let story = save_html(&page("<img src=x onerror=alert(4)> Harbour", head, ""));
    assert_safe("metadata", &story.html);
    // Stored as text (the UI escapes it); never parsed into the article HTML.
    assert!(!story.html.contains("onerror"), "{}", story.html);
    for field in [
        Some(story.summary.title.as_str()),
        story.byline.as_deref(),
        story.summary.site.as_deref(),
        story.summary.excerpt.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(!field.contains('\0'), "{field:?}");
    }
}
