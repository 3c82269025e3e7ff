//! Operations and the merge: what a change looks like on the wire, and the
//! rules that make applying them order-free (commutative, associative and
//! idempotent). docs/sync.md explains the rules with examples.
//!
//! Every story and highlight is a set of registers, one per field, each
//! holding the value with the greatest `(stamp, device)` that reached it
//! (last writer wins, per field). A story's tags are one register per tag
//! holding an observed-remove set: an add is a dot `(stamp, device)`, a
//! remove names the dots it saw, and the tag is there while some dot is
//! not removed, so an add that a remove did not see wins (add-wins). A
//! deletion is the `deleted` register; the thing is there when some other
//! register is later than it (the later of a delete and a change wins).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::library::{Fields, Register};

/// The register of a deletion.
pub const DELETED: &str = "deleted";
/// The prefix of a story's tag registers (the tag's name in lower case follows).
pub const TAG: &str = "tag:";

/// One change to one field of one story (`kind` "story", keyed by its
/// normalised URL) or highlight ("annotation", keyed by its uid).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub kind: String,
    pub key: String,
    pub field: String,
    pub value: Value,
    pub stamp: i64,
    pub device: String,
}

/// A dot: who added or removed a tag, when.
type Dot = (i64, String);

/// A tag register's value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TagSet {
    pub name: String,
    #[serde(default)]
    pub add: BTreeSet<Dot>,
    #[serde(default)]
    pub rm: BTreeSet<Dot>,
}

impl TagSet {
    pub fn present(&self) -> bool {
        self.add.iter().any(|d| !self.rm.contains(d))
    }
}

fn is_tag(kind: &str, field: &str) -> bool {
    kind == "story" && field.starts_with(TAG)
}

/// `register` with `op` merged in; `None` when the op changes nothing (it
/// is older, or already there).
pub fn merge(register: Option<&Register>, op: &Op) -> Option<Register> {
    if is_tag(&op.kind, &op.field) {
        let mut set: TagSet = register
            .and_then(|r| serde_json::from_str(&r.value).ok())
            .unwrap_or_default();
        let incoming: TagSet = serde_json::from_value(op.value.clone()).ok()?;
        // The register's stamp is its latest op's (a remove names older
        // dots, but it is a change made now: it counts against a delete).
        let was = register.map(|r| (r.stamp, r.device.clone()));
        let incoming_is_later = was
            .as_ref()
            .is_none_or(|w| (op.stamp, &op.device) > (w.0, &w.1));
        let before = set.clone();
        if incoming_is_later && !incoming.name.is_empty() {
            set.name = incoming.name.clone();
        }
        set.add.extend(incoming.add);
        set.rm.extend(incoming.rm);
        if set == before && !incoming_is_later {
            return None;
        }
        let (stamp, device) = match was {
            Some(w) if !incoming_is_later => w,
            _ => (op.stamp, op.device.clone()),
        };
        return Some(Register {
            field: op.field.clone(),
            value: serde_json::to_string(&set).ok()?,
            stamp,
            device,
        });
    }
    let newer = match register {
        None => true,
        Some(r) => (op.stamp, op.device.as_str()) > (r.stamp, r.device.as_str()),
    };
    newer.then(|| Register {
        field: op.field.clone(),
        value: op.value.to_string(),
        stamp: op.stamp,
        device: op.device.clone(),
    })
}

/// What the registers say a story or highlight is: its fields, or `None`
/// when it was deleted later than anything changed it (or never was).
pub fn visible(kind: &str, registers: &[Register]) -> Option<Fields> {
    let key = |r: &Register| (r.stamp, r.device.clone());
    let deleted = registers.iter().find(|r| r.field == DELETED).map(key);
    let changed = registers
        .iter()
        .filter(|r| r.field != DELETED)
        .map(key)
        .max()?;
    if deleted.is_some_and(|d| d >= changed) {
        return None;
    }
    let mut fields = Fields::new();
    let mut tags = Vec::new();
    for r in registers.iter().filter(|r| r.field != DELETED) {
        if is_tag(kind, &r.field) {
            if let Ok(set) = serde_json::from_str::<TagSet>(&r.value) {
                if set.present() {
                    tags.push(set.name);
                }
            }
        } else if let Ok(value) = serde_json::from_str(&r.value) {
            fields.insert(r.field.clone(), value);
        }
    }
    if kind == "story" {
        tags.sort_by_key(|t| t.to_lowercase());
        fields.insert("tags".into(), json!(tags));
    }
    Some(fields)
}

/// The operations that take the registers to what the library holds now
/// (`current`, `None` when it is gone), all stamped `stamp`.
pub fn diff(
    kind: &str,
    key: &str,
    current: Option<&Fields>,
    registers: &[Register],
    stamp: i64,
    device: &str,
) -> Vec<Op> {
    let op = |field: &str, value: Value| Op {
        kind: kind.into(),
        key: key.into(),
        field: field.into(),
        value,
        stamp,
        device: device.into(),
    };
    let shown = visible(kind, registers);
    let Some(current) = current else {
        return match shown {
            Some(_) => vec![op(DELETED, Value::Null)],
            None => Vec::new(),
        };
    };
    let mut ops = Vec::new();
    for (field, value) in current {
        if kind == "story" && field == "tags" {
            continue;
        }
        let same = shown.as_ref().and_then(|s| s.get(field)) == Some(value);
        if !same {
            ops.push(op(field, value.clone()));
        }
    }
    if kind == "story" {
        let sets: BTreeMap<&str, TagSet> = registers
            .iter()
            .filter(|r| is_tag(kind, &r.field))
            .filter_map(|r| Some((&r.field[TAG.len()..], serde_json::from_str(&r.value).ok()?)))
            .collect();
        let wanted: BTreeMap<String, String> = current
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| {
                tags.iter()
                    .filter_map(Value::as_str)
                    .map(|t| (t.to_lowercase(), t.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        for (lower, name) in &wanted {
            if !sets.get(lower.as_str()).is_some_and(TagSet::present) {
                let add = TagSet {
                    name: name.clone(),
                    add: [(stamp, device.to_string())].into(),
                    rm: BTreeSet::new(),
                };
                ops.push(op(&format!("{TAG}{lower}"), json!(add)));
            }
        }
        for (lower, set) in &sets {
            if set.present() && !wanted.contains_key(*lower) {
                let rm = TagSet {
                    name: set.name.clone(),
                    add: BTreeSet::new(),
                    rm: set.add.clone(),
                };
                ops.push(op(&format!("{TAG}{lower}"), json!(rm)));
            }
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(field: &str, value: Value, stamp: i64, device: &str) -> Op {
        Op {
            kind: "story".into(),
            key: "k".into(),
            field: field.into(),
            value,
            stamp,
            device: device.into(),
        }
    }

    fn apply(ops: &[Op]) -> Vec<Register> {
        let mut regs: BTreeMap<String, Register> = BTreeMap::new();
        for o in ops {
            if let Some(r) = merge(regs.get(&o.field), o) {
                regs.insert(o.field.clone(), r);
            }
        }
        regs.into_values().collect()
    }

    #[test]
    fn any_order_any_number_of_times_gives_the_same_registers() {
        let add = |s, d: &str| json!({"name": "Rust", "add": [[s, d]], "rm": []});
        let ops = vec![
            op("starred", json!(true), 10, "a"),
            op("starred", json!(false), 12, "b"),
            op("archived", json!(true), 11, "a"),
            op("tag:rust", add(5, "a"), 5, "a"),
            op(
                "tag:rust",
                json!({"name": "Rust", "add": [], "rm": [[5, "a"]]}),
                9,
                "b",
            ),
            op("tag:rust", add(7, "c"), 7, "c"),
            op(DELETED, Value::Null, 8, "c"),
        ];
        let reference = apply(&ops);
        let mut reversed = ops.clone();
        reversed.reverse();
        let mut twice = ops.clone();
        twice.extend(ops.iter().cloned());
        let mut rotated = ops.clone();
        rotated.rotate_left(3);
        for other in [reversed, twice, rotated] {
            assert_eq!(apply(&other), reference);
        }
        let f = visible("story", &reference).unwrap();
        assert_eq!(f["starred"], json!(false));
        assert_eq!(f["archived"], json!(true));
        // The remove at 9 saw only a's add: c's concurrent add wins.
        assert_eq!(f["tags"], json!(["Rust"]));
    }

    #[test]
    fn the_later_of_a_delete_and_a_change_wins() {
        let deleted_last = apply(&[
            op("starred", json!(true), 10, "a"),
            op(DELETED, Value::Null, 11, "b"),
        ]);
        assert!(visible("story", &deleted_last).is_none());
        let changed_last = apply(&[
            op(DELETED, Value::Null, 11, "b"),
            op("starred", json!(true), 12, "a"),
        ]);
        assert_eq!(
            visible("story", &changed_last).unwrap()["starred"],
            json!(true)
        );
    }
}
