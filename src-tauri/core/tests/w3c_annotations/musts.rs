//! A checker of the MUST assertions of the W3C Web Annotation test suite
//! (github.com/w3c/web-annotation-tests), written from its assertion
//! schemas: `annotations/annotationMusts.test` for each annotation,
//! `collections/collectionMusts.test` for the collection, and the
//! definitions they refer to (`definitions/annotations.json`, `id.json`,
//! `bodyTarget.json`, `specificResource.json`, `otherProperties.json`,
//! `collections.json`). Each failure names the assertion file it breaks, so
//! a failing test reads like the suite's own report.
//!
//! It is our code, not the suite's: the rules are the schemas' rules, in
//! Rust, and one rule the schemas leave out but the model states (a `body`
//! key holds one or more bodies; "no body" is written by leaving the key
//! out, not as an empty array).

use serde_json::{Map, Value};

/// The Web Annotation JSON-LD context every document must name.
const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The motivations and purposes of the model (section 3.3.5).
const MOTIVATIONS: [&str; 13] = [
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
];

/// The failures of one document: `(assertion, what is wrong)`.
pub type Failures = Vec<(&'static str, String)>;

/// Every annotation MUST the document breaks, as one Annotation.
pub fn annotation_failures(doc: &Value) -> Failures {
    let mut out = Failures::new();
    let Some(obj) = identified(&mut out, doc, &ANNOTATION) else {
        return out;
    };
    check(
        &mut out,
        "3.1-targetKeyFound.json",
        obj.contains_key("target"),
        || "no target".into(),
    );
    if let Some(target) = obj.get("target") {
        check(
            &mut out,
            "3.2-targetObjectsRecognized.json",
            one_or_many(target, is_target),
            || format!("target {target} is not a URI, resource, choice or specific resource"),
        );
    }
    check(
        &mut out,
        "3.2.5-notBodyBodyValue.json",
        !(obj.contains_key("body") && obj.contains_key("bodyValue")),
        || "has both body and bodyValue".into(),
    );
    if let Some(body) = obj.get("body") {
        check(
            &mut out,
            "3.2-bodyObjectsRecognized.json",
            one_or_many(body, is_body),
            || format!("body {body} holds something that is not a body"),
        );
        check(
            &mut out,
            "model 3.2: a body key holds one or more bodies",
            body.as_array().is_none_or(|a| !a.is_empty()),
            || "body is an empty array".into(),
        );
    }
    if let Some(motivation) = obj.get("motivation") {
        check(
            &mut out,
            "3.3.5-annotationMotivationImplemented.json",
            one_or_many(motivation, |m| {
                m.as_str().is_some_and(|m| MOTIVATIONS.contains(&m))
            }),
            || format!("motivation {motivation} is not one of the model's"),
        );
    }
    other_property_failures(&mut out, obj, "annotation");
    out
}

/// Every collection MUST the document breaks, and the annotation MUSTs of
/// each annotation its first page embeds (with the item's index).
pub fn collection_failures(doc: &Value) -> Failures {
    let mut out = Failures::new();
    let Some(obj) = identified(&mut out, doc, &COLLECTION) else {
        return out;
    };
    if let Some(label) = obj.get("label") {
        let ok = label.is_string()
            || label
                .as_array()
                .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string));
        check(&mut out, "5.1-collectionLabelValidated.json", ok, || {
            format!("label {label} is not text")
        });
    }
    let total = obj.get("total").map(|t| single(t).and_then(Value::as_u64));
    if let Some(t) = &total {
        check(
            &mut out,
            "5.1-collectionTotalValidated.json",
            t.is_some(),
            || {
                format!(
                    "total {:?} is not one whole number of zero or more",
                    obj.get("total")
                )
            },
        );
    }
    let has_annotations = matches!(total, Some(Some(n)) if n > 0);
    check(
        &mut out,
        "5.1-collectionFirstValidated.json",
        obj.contains_key("first") || !has_annotations,
        || "total is above zero and there is no first page".into(),
    );
    if let Some(first) = obj.get("first") {
        match single(first) {
            Some(Value::String(s)) => check(
                &mut out,
                "5.1-collectionFirstValidated.json",
                is_uri(s),
                || format!("first {s:?} is not a URI"),
            ),
            Some(Value::Object(page)) => page_failures(&mut out, page),
            _ => out.push((
                "5.1-collectionFirstValidated.json",
                format!("first {first} is neither a URI nor a page"),
            )),
        }
    }
    if let Some(last) = obj.get("last") {
        check(
            &mut out,
            "5.1-collectionLastValidated.json",
            single(last).and_then(Value::as_str).is_some_and(is_uri),
            || format!("last {last} is not one URI"),
        );
    }
    other_property_failures(&mut out, obj, "collection");
    out
}

/// The three MUSTs every annotation and collection starts with: the
/// context, an IRI, and its type.
struct Identity {
    context: &'static str,
    id: &'static str,
    kind: &'static str,
    type_name: &'static str,
}

const ANNOTATION: Identity = Identity {
    context: "3.1-annotationContextValidated.json",
    id: "3.1-annotationIdValidated.json",
    kind: "3.1-annotationTypeValidated.json",
    type_name: "Annotation",
};

const COLLECTION: Identity = Identity {
    context: "5.1-collectionContextValidated.json",
    id: "5.1-collectionIdValidated.json",
    kind: "5.1-collectionTypeValidated.json",
    type_name: "AnnotationCollection",
};

/// Checks `doc`'s context, id and type; its keys, unless it is no object.
fn identified<'a>(
    out: &mut Failures,
    doc: &'a Value,
    identity: &Identity,
) -> Option<&'a Map<String, Value>> {
    let Some(obj) = doc.as_object() else {
        out.push((identity.kind, "not an object".into()));
        return None;
    };
    check(out, identity.context, context_ok(obj), || {
        format!("@context is {:?}, not {ANNO_CONTEXT}", obj.get("@context"))
    });
    check(out, identity.id, has_uri(obj, "id"), || {
        format!("id {:?} is not one URI", obj.get("id"))
    });
    check(
        out,
        identity.kind,
        type_has(obj, identity.type_name),
        || {
            format!(
                "type {:?} does not include {}",
                obj.get("type"),
                identity.type_name
            )
        },
    );
    Some(obj)
}

/// An embedded AnnotationPage: its type, an id (model 5.2: "The Page MUST
/// have an IRI"), its items, and each embedded annotation's MUSTs.
fn page_failures(out: &mut Failures, page: &Map<String, Value>) {
    check(
        out,
        "collections.json#annotationPageTypeValueFound",
        type_has(page, "AnnotationPage"),
        || {
            format!(
                "page type {:?} does not include AnnotationPage",
                page.get("type")
            )
        },
    );
    check(
        out,
        "model 5.2: a page has an IRI",
        has_uri(page, "id"),
        || format!("page id {:?} is not one URI", page.get("id")),
    );
    let Some(items) = page.get("items").and_then(Value::as_array) else {
        out.push((
            "collections.json#itemsFound",
            "the page has no items array".into(),
        ));
        return;
    };
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::String(s) if is_uri(s) => {}
            Value::Object(_) => {
                for (assertion, why) in annotation_failures(item) {
                    out.push((assertion, format!("item {i}: {why}")));
                }
            }
            other => out.push((
                "collections.json#itemsFound",
                format!("item {i} is {other}"),
            )),
        }
    }
}

/// created, modified, generated (date-times), rights (URIs), canonical
/// (one URI) and via (URIs), each only when present.
fn other_property_failures(out: &mut Failures, obj: &Map<String, Value>, what: &str) {
    let prefix = if what == "collection" {
        [
            "3.3.1-collectionCreatedValidated.json",
            "3.3.1-collectionModifiedValidated.json",
            "3.3.1-collectionGeneratedValidated.json",
        ]
    } else {
        [
            "3.3.1-annotationCreatedValidated.json",
            "3.3.1-annotationModifiedValidated.json",
            "3.3.1-annotationGeneratedValidated.json",
        ]
    };
    for (assertion, key) in prefix.into_iter().zip(["created", "modified", "generated"]) {
        if let Some(v) = obj.get(key) {
            check(
                out,
                assertion,
                single(v).and_then(Value::as_str).is_some_and(is_date_time),
                || format!("{key} {v} is not one date-time"),
            );
        }
    }
    // (assertion, key, whether only one value is allowed)
    let linked = [
        ("3.3.6-annotationRightsValidated.json", "rights", false),
        ("3.3.7-annotationCanonicalValidated.json", "canonical", true),
        ("3.3.7-annotationViaValidated.json", "via", false),
    ];
    for (assertion, key, only_one) in linked {
        if let Some(v) = obj.get(key) {
            let uri = |r: &Value| r.as_str().is_some_and(is_uri);
            let ok = if only_one {
                single(v).is_some_and(uri)
            } else {
                one_or_many(v, uri)
            };
            check(out, assertion, ok, || format!("{key} {v} is not URIs"));
        }
    }
}

fn check(out: &mut Failures, assertion: &'static str, ok: bool, why: impl FnOnce() -> String) {
    if !ok {
        out.push((assertion, why()));
    }
}

/// A value or a one-element array of it, as the schemas allow for single values.
fn single(v: &Value) -> Option<&Value> {
    match v {
        Value::Array(a) if a.len() == 1 => a.first(),
        Value::Array(_) => None,
        v => Some(v),
    }
}

/// `v` passes `ok`, or is an array whose every item does.
fn one_or_many(v: &Value, ok: impl Fn(&Value) -> bool) -> bool {
    match v {
        Value::Array(a) => a.iter().all(ok),
        v => ok(v),
    }
}

fn context_ok(obj: &Map<String, Value>) -> bool {
    match obj.get("@context") {
        Some(Value::String(s)) => s == ANNO_CONTEXT,
        Some(Value::Array(a)) => a.iter().any(|c| c == ANNO_CONTEXT),
        _ => false,
    }
}

fn type_has(obj: &Map<String, Value>, name: &str) -> bool {
    match obj.get("type") {
        Some(Value::String(s)) => s == name,
        Some(Value::Array(a)) => a.iter().any(|t| t == name),
        _ => false,
    }
}

fn has_uri(obj: &Map<String, Value>, key: &str) -> bool {
    obj.get(key).and_then(Value::as_str).is_some_and(is_uri)
}

/// JSON Schema's `format: uri`: an absolute URI (RFC 3986), a scheme then
/// characters a URI may hold, with no white space.
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c);
    scheme_ok && !rest.is_empty() && rest.chars().all(allowed) && url::Url::parse(s).is_ok()
}

/// JSON Schema's `format: date-time` (RFC 3339).
fn is_date_time(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// `bodyTarget.json#/definitions/targetResourcesFound`: exactly one of a
/// URI, a choice or set, a specific resource, an external web resource.
fn is_target(v: &Value) -> bool {
    let kinds = [
        v.as_str().is_some_and(is_uri),
        is_choice_or_set(v),
        is_specific_resource(v),
        is_external_web_resource(v),
    ];
    kinds.iter().filter(|k| **k).count() == 1
}

/// `bodyResourcesFound`: as a target, or an embedded textual body.
fn is_body(v: &Value) -> bool {
    let kinds = [
        v.as_str().is_some_and(is_uri),
        is_choice_or_set(v),
        is_specific_resource(v),
        is_external_web_resource(v),
        is_textual_body(v),
    ];
    let purpose_ok = v
        .get("purpose")
        .is_none_or(|p| one_or_many(p, |p| p.as_str().is_some_and(|p| MOTIVATIONS.contains(&p))));
    kinds.iter().filter(|k| **k).count() == 1 && purpose_ok
}

fn is_textual_body(v: &Value) -> bool {
    v.get("value").is_some_and(Value::is_string)
}

fn is_external_web_resource(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    has_uri(obj, "id")
        && !["value", "source", "target"]
            .iter()
            .any(|k| obj.contains_key(*k))
}

fn is_choice_or_set(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    ["Choice", "Composite", "List", "Independents"]
        .iter()
        .any(|t| type_has(obj, t))
        && obj.get("items").is_some_and(Value::is_array)
}

/// `specificResource.json#/definitions/specificeResourceDetected`: one
/// source (a URI or an external web resource) and a selector (or another
/// refinement) the model describes.
fn is_specific_resource(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    let source_ok = obj
        .get("source")
        .is_some_and(|s| s.as_str().is_some_and(is_uri) || is_external_web_resource(s));
    let refined = ["purpose", "state", "styleClass", "renderedVia", "scope"]
        .iter()
        .any(|k| obj.contains_key(*k))
        || obj.get("selector").is_some_and(selector_ok);
    source_ok && refined
}

/// A selector: a URI, a recognised selector object, or a non-empty array of them.
fn selector_ok(v: &Value) -> bool {
    let one = |s: &Value| s.as_str().is_some_and(is_uri) || is_selector(s);
    match v {
        Value::Array(a) => !a.is_empty() && a.iter().all(one),
        v => one(v),
    }
}

/// The selectors of section 4.2 with the keys each one requires.
fn is_selector(v: &Value) -> bool {
    let Some(obj) = v.as_object() else {
        return false;
    };
    let Some(kind) = obj.get("type").and_then(Value::as_str) else {
        return false;
    };
    let string = |k: &str| obj.get(k).is_some_and(Value::is_string);
    let offset = |k: &str| obj.get(k).and_then(Value::as_u64).is_some();
    match kind {
        "TextQuoteSelector" => {
            string("exact")
                && ["prefix", "suffix"]
                    .iter()
                    .all(|k| obj.get(*k).is_none_or(Value::is_string))
        }
        "TextPositionSelector" | "DataPositionSelector" => offset("start") && offset("end"),
        "FragmentSelector" => string("value"),
        "CssSelector" | "XPathSelector" | "SvgSelector" => {
            string("value") != obj.contains_key("id")
        }
        "RangeSelector" => {
            obj.get("startSelector").is_some_and(is_selector)
                && obj.get("endSelector").is_some_and(is_selector)
        }
        _ => false,
    }
}
