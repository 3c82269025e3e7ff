//! One sync: note local changes as operations, read what the other devices
//! wrote since last time, apply it, and send ours. Also the setup that
//! ties a library to a sync folder.
//!
//! A sync with nothing new is one request (the listing of the change
//! files). Every step that has written something is committed before the
//! next starts, so a sync cut off anywhere (a crash, a kill, the network)
//! loses nothing and the next one completes it: a change file is written
//! again with the same operations under the same name until it is known
//! to be there, and another device's file is read again until it is
//! applied.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::files::{self, ChangeFile, DeviceFile, FileError, LibraryFile, Snapshot};
use super::hlc::Clock;
use super::ops::{self, Op};
use super::remote::{Remote, RemoteError};
use crate::library::{sha256_hex, Body, Images, Register, Replica, SyncState};
use crate::{Error, Library, Result};

/// A pack is closed at this size and another started.
const PACK_BYTES: usize = 8 << 20;

/// Change files on the storage at which a sync compacts them.
const COMPACT_AFTER: usize = 256;

/// How a sync runs.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Added to this computer's clock (tests of clocks hours apart).
    pub clock_skew_ms: i64,
    /// Compact when there are this many change files (default 256).
    pub compact_after: Option<usize>,
}

/// What a sync did, for `gloss sync now`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct SyncReport {
    /// Operations sent.
    pub uploaded: u32,
    /// Change files read from other devices.
    pub downloaded: u32,
    /// Operations read that changed something here.
    pub applied: u32,
    /// Files skipped because they are incomplete or damaged (read again next time).
    pub skipped: u32,
    /// Milliseconds.
    #[ts(type = "number")]
    pub took: u64,
}

impl From<FileError> for Error {
    fn from(e: FileError) -> Self {
        match e {
            FileError::Newer(..) => Error::Unsupported(e.to_string()),
            FileError::Damaged(_) => Error::Damaged(e.to_string()),
        }
    }
}

/// Ties `lib` to the shared storage: joins the library whose id is there,
/// or makes the storage this library's when it holds none. A library that
/// has stories of its own joins an existing one only with `merge` (its
/// stories are then added to the shared library).
pub fn setup(
    lib: &mut Library,
    remote: &dyn Remote,
    settings: &str,
    merge: bool,
) -> Result<SyncState> {
    let existing = match remote.read(files::LIBRARY_FILE)? {
        Some(bytes) => Some(files::decode_library(files::LIBRARY_FILE, &bytes)?),
        None => None,
    };
    let current = lib.sync_state()?;
    if let (Some(file), Some(state)) = (&existing, &current) {
        // This library already syncs with that one: only the way there changes.
        if file.library == state.library_id {
            lib.sync_move(settings)?;
            return lib
                .sync_state()?
                .ok_or_else(|| Error::InvalidInput("sync was turned off meanwhile".into()));
        }
    }
    let library_id = match existing {
        Some(file) => {
            let stories = lib.info()?.stories;
            if stories > 0 && !merge {
                return Err(Error::InvalidInput(format!(
                    "{} already holds another Gloss library, and this library has {stories} \
                     stories of its own; nothing was changed. To add them to the shared \
                     library, run the setup again with --merge",
                    remote.describe()
                )));
            }
            file.library
        }
        None => {
            let seed = format!(
                "{}-{}-{}",
                crate::clock::now_ms(),
                std::process::id(),
                lib.path().display()
            );
            let id = sha256_hex(seed.as_bytes())[..32].to_string();
            let file = LibraryFile {
                format: files::FORMAT,
                library: id.clone(),
            };
            remote.write(files::LIBRARY_FILE, &files::encode_library(&file))?;
            id
        }
    };
    lib.sync_start(&library_id, settings)
}

/// Syncs `lib` through `remote` once.
pub fn sync_now(
    lib: &mut Library,
    remote: &dyn Remote,
    options: &SyncOptions,
) -> Result<SyncReport> {
    let started = Instant::now();
    let mut report = SyncReport::default();
    let result = run(lib, remote, options, &mut report);
    report.took = started.elapsed().as_millis() as u64;
    let recorded = match &result {
        Ok(()) => lib.sync_finished(None, serde_json::to_string(&report).ok().as_deref()),
        Err(e) => lib.sync_finished(Some(&e.to_string()), None),
    };
    result?;
    recorded?;
    Ok(report)
}

fn run(
    lib: &mut Library,
    remote: &dyn Remote,
    options: &SyncOptions,
    report: &mut SyncReport,
) -> Result<()> {
    // 1. Local changes become operations, kept before anything is sent.
    record_local(lib, options)?;
    let replica = lib.replica()?;
    let state = replica.state()?;
    let mut peers = replica.peers()?;
    replica.commit()?;

    // 2. What the other devices wrote since: every new file is read and
    //    checked before anything is applied. A device's files are applied
    //    in order; one missing (removed by compaction, or not yet copied
    //    by a sync tool) sends this device to the latest snapshot.
    let listed = remote.list(files::CHANGES_DIR)?;
    let change_files = listed.len();
    let mut by_device: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for file in listed {
        if let Some((device, seq)) = files::parse_change_name(&file.path) {
            if device != state.device {
                by_device.entry(device).or_default().push((seq, file.path));
            }
        }
    }
    let gap = by_device.iter().any(|(device, files)| {
        let at = peers.get(device).copied().unwrap_or(0);
        let first_new = files.iter().map(|f| f.0).filter(|&s| s > at).min();
        first_new.is_some_and(|s| s > at + 1)
    });
    let snapshot = if gap { latest_snapshot(remote)? } else { None };
    if let Some(snapshot) = &snapshot {
        for (device, &seq) in &snapshot.covers {
            if device != &state.device && seq > peers.get(device).copied().unwrap_or(0) {
                peers.insert(device.clone(), seq);
            }
        }
    }
    let mut pulled: Vec<ChangeFile> = Vec::new();
    for (device, mut wanted) in by_device {
        wanted.sort();
        let mut at = peers.get(&device).copied().unwrap_or(0);
        for (seq, path) in wanted {
            if seq <= at {
                continue;
            }
            if seq != at + 1 {
                // A file of this device is missing: the later ones wait.
                break;
            }
            let bytes = read_whole(remote, &path)?;
            let decoded = match bytes {
                Some(bytes) => files::decode_changes(&path, &bytes),
                None => Err(FileError::Damaged(path.clone())),
            };
            match decoded {
                Ok(file) if file.seq == seq && file.device == device => {
                    at = seq;
                    pulled.push(file);
                }
                Ok(_) | Err(FileError::Damaged(_)) => {
                    // This device's later files wait for this one.
                    report.skipped += 1;
                    break;
                }
                Err(newer @ FileError::Newer(..)) => return Err(newer.into()),
            }
        }
    }
    report.downloaded = pulled.len() as u32;

    // 3. Apply, in one transaction; changes made here meanwhile are noted
    //    first, so a pulled value wins over them only when it is newer.
    if !pulled.is_empty() || snapshot.is_some() {
        let mut replica = lib.replica()?;
        let mut clock = Clock::new(replica.state()?.clock);
        collect(&replica, &mut clock, &state.device, options.clock_skew_ms)?;
        let mut blobs = Blobs::new(remote);
        let mut changed = BTreeSet::new();
        if let Some(snapshot) = &snapshot {
            for (sha, pack) in &snapshot.blobs {
                replica.set_blob_pack(sha, pack)?;
            }
            let ops: Vec<Op> = snapshot
                .registers
                .iter()
                .map(|(kind, key, field, value, stamp, device)| Op {
                    kind: kind.clone(),
                    key: key.clone(),
                    field: field.clone(),
                    value: serde_json::from_str(value).unwrap_or(serde_json::Value::Null),
                    stamp: *stamp,
                    device: device.clone(),
                })
                .collect();
            for op in &ops {
                clock.observe(op.stamp);
            }
            let (applied, entities) = apply_ops(&replica, &ops)?;
            report.applied += applied;
            changed.extend(entities);
            for (device, seq) in &peers {
                replica.set_peer(device, *seq)?;
            }
        }
        for file in &pulled {
            for (pack, shas) in &file.packs {
                for sha in shas {
                    replica.set_blob_pack(sha, pack)?;
                }
            }
            for op in &file.ops {
                clock.observe(op.stamp);
            }
            let (applied, entities) = apply_ops(&replica, &file.ops)?;
            report.applied += applied;
            changed.extend(entities);
        }
        materialize(&mut replica, &changed, &mut blobs)?;
        for file in &pulled {
            let known = replica.peers()?.get(&file.device).copied().unwrap_or(0);
            replica.set_peer(&file.device, known.max(file.seq))?;
        }
        replica.set_clock(clock.last())?;
        // Sync's own writes are not local changes.
        replica.clear_dirty()?;
        replica.commit()?;
    }

    // 4. Send what waits.
    report.uploaded = upload(lib, remote, &state.device)?;

    // 5. Say how far this device has read, and compact when the change
    //    files have piled up.
    if report.uploaded > 0 || report.downloaded > 0 || snapshot.is_some() {
        let replica = lib.replica()?;
        let mut read = replica.peers()?;
        read.insert(state.device.clone(), replica.state()?.next_seq - 1);
        replica.commit()?;
        let file = DeviceFile {
            device: state.device.clone(),
            read,
        };
        remote.write(
            &files::device_path(&state.device),
            &files::encode_device(&file),
        )?;
        if change_files + 1 >= options.compact_after.unwrap_or(COMPACT_AFTER) {
            compact(lib, remote, &file)?;
        }
    }
    Ok(())
}

/// The latest whole snapshot, if there is one.
fn latest_snapshot(remote: &dyn Remote) -> Result<Option<Snapshot>> {
    let mut names: Vec<String> = remote
        .list(files::SNAPSHOTS_DIR)?
        .into_iter()
        .map(|f| f.path)
        .filter(|p| p.ends_with(".json"))
        .collect();
    names.sort();
    for name in names.iter().rev() {
        let Some(bytes) = remote.read(name)? else {
            continue;
        };
        match files::decode_snapshot(name, &bytes) {
            Ok(snapshot) => return Ok(Some(snapshot)),
            Err(FileError::Damaged(_)) => continue,
            Err(newer) => return Err(newer.into()),
        }
    }
    Ok(None)
}

/// Writes a snapshot of everything this device has applied, then removes
/// the change files that it covers and that every known device has read
/// (and the older snapshots). A device that was not known yet, or that
/// finds a file of another device missing, starts from the snapshot.
fn compact(lib: &mut Library, remote: &dyn Remote, me: &DeviceFile) -> Result<()> {
    let mut known: Vec<DeviceFile> = vec![me.clone()];
    for file in remote.list(files::DEVICES_DIR)? {
        if file.path == files::device_path(&me.device) || !file.path.ends_with(".json") {
            continue;
        }
        if let Some(bytes) = remote.read(&file.path)? {
            match files::decode_device(&file.path, &bytes) {
                Ok(device) => known.push(device),
                // A device whose position cannot be read keeps everything.
                Err(_) => return Ok(()),
            }
        }
    }
    let replica = lib.replica()?;
    let registers = replica.all_registers()?;
    let blobs = replica.all_blob_packs()?;
    let clock = replica.state()?.clock;
    replica.commit()?;
    let snapshot = Snapshot {
        covers: me.read.clone(),
        registers: registers
            .into_iter()
            .map(|(kind, key, r)| (kind, key, r.field, r.value, r.stamp, r.device))
            .collect(),
        blobs: blobs.into_iter().collect(),
    };
    let name = files::snapshot_path(clock, &me.device);
    remote.write(&name, &files::encode_snapshot(&snapshot))?;
    for old in remote.list(files::SNAPSHOTS_DIR)? {
        if old.path != name && old.path.ends_with(".json") && old.path < name {
            remote.delete(&old.path)?;
        }
    }
    let listed: Vec<(String, i64, String)> = remote
        .list(files::CHANGES_DIR)?
        .into_iter()
        .filter_map(|f| files::parse_change_name(&f.path).map(|(d, s)| (d, s, f.path)))
        .collect();
    // Each device's latest file stays: a device that finds the ones before
    // it gone knows to start from the snapshot.
    let mut latest: BTreeMap<&str, i64> = BTreeMap::new();
    for (author, seq, _) in &listed {
        let at = latest.entry(author.as_str()).or_insert(*seq);
        *at = (*at).max(*seq);
    }
    for (author, seq, path) in &listed {
        let (author, seq) = (author.clone(), *seq);
        if latest.get(author.as_str()) == Some(&seq) {
            continue;
        }
        let covered = snapshot.covers.get(&author).is_some_and(|&c| seq <= c);
        let read_by_all = known
            .iter()
            .all(|d| d.device == author || d.read.get(&author).is_some_and(|&r| seq <= r));
        if covered && read_by_all {
            remote.delete(path)?;
        }
    }
    Ok(())
}

/// A file's bytes; `None` when it is not there, or when the transport
/// found it damaged (an encrypted file that does not decrypt whole), which
/// the callers skip until it is whole, like a file whose checksum fails.
fn read_whole(remote: &dyn Remote, path: &str) -> Result<Option<Vec<u8>>> {
    match remote.read(path) {
        Err(RemoteError::Damaged(_)) => Ok(None),
        other => Ok(other?),
    }
}

/// Turns the changes made here since the last call into stamped
/// operations waiting to be sent, without touching the shared storage; a
/// sync does this first. Calling it soon after a change (the app's
/// debounce) stamps the change with the time it was made even when the
/// next sync is much later. Returns how many operations it made.
pub fn record_local(lib: &mut Library, options: &SyncOptions) -> Result<u32> {
    let replica = lib.replica()?;
    let state = replica.state()?;
    let mut clock = Clock::new(state.clock);
    let made = collect(&replica, &mut clock, &state.device, options.clock_skew_ms)?;
    replica.set_clock(clock.last())?;
    replica.commit()?;
    Ok(made)
}

/// Turns the noted local changes into operations: each one goes into the
/// registers here and into the outbox.
fn collect(replica: &Replica<'_>, clock: &mut Clock, device: &str, skew: i64) -> Result<u32> {
    let mut made = 0;
    for (kind, key, at) in replica.take_dirty()? {
        let current = replica.fields(&kind, &key)?;
        let registers = replica.registers(&kind, &key)?;
        let stamp = clock.tick(at + skew);
        let ops = ops::diff(&kind, &key, current.as_ref(), &registers, stamp, device);
        if ops.is_empty() {
            continue;
        }
        apply_ops(replica, &ops)?;
        made += ops.len() as u32;
        for op in &ops {
            let json = serde_json::to_string(op).map_err(|e| {
                Error::InvalidInput(format!("an operation could not be written: {e}"))
            })?;
            replica.push_outbox(&json)?;
        }
    }
    Ok(made)
}

/// Merges operations into the registers; returns how many changed one,
/// and the stories and highlights they changed.
fn apply_ops(replica: &Replica<'_>, ops: &[Op]) -> Result<(u32, BTreeSet<(String, String)>)> {
    let mut grouped: BTreeMap<(String, String), Vec<&Op>> = BTreeMap::new();
    for op in ops {
        grouped
            .entry((op.kind.clone(), op.key.clone()))
            .or_default()
            .push(op);
    }
    let mut applied = 0;
    let mut changed = BTreeSet::new();
    for ((kind, key), ops) in grouped {
        let mut registers: BTreeMap<String, Register> = replica
            .registers(&kind, &key)?
            .into_iter()
            .map(|r| (r.field.clone(), r))
            .collect();
        for op in ops {
            if let Some(register) = ops::merge(registers.get(&op.field), op) {
                replica.put_register(&kind, &key, &register)?;
                registers.insert(op.field.clone(), register);
                applied += 1;
                changed.insert((kind.clone(), key.clone()));
            }
        }
    }
    Ok((applied, changed))
}

/// Writes the stories and highlights whose registers changed as their
/// registers now say they are.
fn materialize(
    replica: &mut Replica<'_>,
    changed: &BTreeSet<(String, String)>,
    blobs: &mut Blobs<'_>,
) -> Result<()> {
    let of = |kind: &str| -> BTreeSet<String> {
        changed
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, key)| key.clone())
            .collect()
    };
    // Folders before their feeds, stories before their highlights.
    let mut feeds = of("feed");
    for key in of("folder") {
        let registers = replica.registers("folder", &key)?;
        replica.write_folder(&key, ops::visible("folder", &registers).as_ref())?;
        feeds.extend(replica.referring("feed", "folder", &key)?);
    }
    for url in feeds {
        let registers = replica.registers("feed", &url)?;
        replica.write_feed(&url, ops::visible("feed", &registers).as_ref())?;
    }
    let mut annotations = of("annotation");
    for key in of("story") {
        let registers = replica.registers("story", &key)?;
        let fields = ops::visible("story", &registers);
        let wanted = fields
            .as_ref()
            .and_then(|f| f.get("body"))
            .and_then(|b| b.as_str())
            .map(str::to_string);
        let have = replica.body(&key)?.map(|b| b.sha256());
        let mut body = None;
        if let (Some(sha), true) = (&wanted, wanted != have) {
            body = blobs.body(replica, sha)?;
        }
        replica.write_story(&key, fields.as_ref(), body.as_ref().map(|(b, i)| (b, i)))?;
        annotations.extend(replica.referring("annotation", "story", &key)?);
    }
    for uid in annotations {
        let registers = replica.registers("annotation", &uid)?;
        replica.write_annotation(&uid, ops::visible("annotation", &registers).as_ref())?;
    }
    Ok(())
}

/// Bodies and images read from packs on the shared storage, each pack once.
struct Blobs<'r> {
    remote: &'r dyn Remote,
    cache: BTreeMap<String, Vec<u8>>,
    read: BTreeSet<String>,
}

impl<'r> Blobs<'r> {
    fn new(remote: &'r dyn Remote) -> Self {
        Blobs {
            remote,
            cache: BTreeMap::new(),
            read: BTreeSet::new(),
        }
    }

    fn get(&mut self, replica: &Replica<'_>, sha: &str) -> Result<Option<Vec<u8>>> {
        if let Some(bytes) = self.cache.get(sha) {
            return Ok(Some(bytes.clone()));
        }
        let Some(pack) = replica.blob_pack(sha)? else {
            return Ok(None);
        };
        if self.read.insert(pack.clone()) {
            let path = files::pack_path(&pack);
            if let Some(bytes) = read_whole(self.remote, &path)? {
                // A damaged pack leaves its bodies out until it is whole.
                if sha256_hex(&bytes) == pack {
                    if let Ok(blobs) = files::decode_pack(&path, &bytes) {
                        self.cache.extend(blobs);
                    }
                }
            }
        }
        Ok(self.cache.get(sha).cloned())
    }

    /// A body with the bytes of the images the library lacks.
    fn body(&mut self, replica: &Replica<'_>, sha: &str) -> Result<Option<(Body, Images)>> {
        let Some(bytes) = self.get(replica, sha)? else {
            return Ok(None);
        };
        let Ok(body) = serde_json::from_slice::<Body>(&bytes) else {
            return Ok(None);
        };
        let mut images = BTreeMap::new();
        for asset in &body.assets {
            if replica.asset_bytes(&asset.sha256)?.is_none() {
                if let Some(bytes) = self.get(replica, &asset.sha256)? {
                    images.insert(asset.sha256.clone(), bytes);
                }
            }
        }
        Ok(Some((body, images)))
    }
}

/// Sends the outbox: the packs its bodies and images need first, then the
/// change file that names them. Returns how many operations went out.
fn upload(lib: &mut Library, remote: &dyn Remote, device: &str) -> Result<u32> {
    let replica = lib.replica()?;
    let seq = replica.state()?.next_seq;
    if replica.assign_outbox(seq)? > 0 {
        replica.set_next_seq(seq + 1)?;
    }
    let outgoing = replica.outbox_files()?;
    replica.commit()?;
    let mut uploaded = 0;
    for (seq, lines) in outgoing {
        let mut ops = Vec::with_capacity(lines.len());
        for line in &lines {
            let op: Op = serde_json::from_str(line).map_err(|e| {
                Error::Damaged(format!(
                    "an operation waiting to be sent is unreadable: {e}"
                ))
            })?;
            ops.push(op);
        }
        let replica = lib.replica()?;
        let blobs = blobs_to_send(&replica, &ops)?;
        replica.commit()?;
        let mut packs: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for chunk in chunks(blobs) {
            let (name, bytes) = files::encode_pack(&chunk);
            remote.write(&files::pack_path(&name), &bytes)?;
            packs.insert(name, chunk.into_iter().map(|(sha, _)| sha).collect());
        }
        let file = ChangeFile {
            device: device.to_string(),
            seq,
            packs,
            ops,
        };
        remote.write(
            &files::change_path(device, seq),
            &files::encode_changes(&file),
        )?;
        let replica = lib.replica()?;
        for (pack, shas) in &file.packs {
            for sha in shas {
                replica.set_blob_pack(sha, pack)?;
            }
        }
        replica.sent(seq)?;
        replica.commit()?;
        uploaded += file.ops.len() as u32;
    }
    Ok(uploaded)
}

/// The bodies (and their images) that `ops` name and that no pack holds yet.
fn blobs_to_send(replica: &Replica<'_>, ops: &[Op]) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut seen = BTreeSet::new();
    for op in ops
        .iter()
        .filter(|o| o.kind == "story" && o.field == "body")
    {
        let Some(sha) = op.value.as_str() else {
            continue;
        };
        if replica.blob_pack(sha)?.is_some() || !seen.insert(sha.to_string()) {
            continue;
        }
        // Only the body the story has now (a later op names a newer one).
        let Some(body) = replica.body(&op.key)? else {
            continue;
        };
        let bytes = body.to_bytes();
        if sha256_hex(&bytes) != sha {
            continue;
        }
        for asset in &body.assets {
            if replica.blob_pack(&asset.sha256)?.is_none() && seen.insert(asset.sha256.clone()) {
                if let Some(image) = replica.asset_bytes(&asset.sha256)? {
                    out.push((asset.sha256.clone(), image));
                }
            }
        }
        out.push((sha.to_string(), bytes));
    }
    Ok(out)
}

/// Blobs in packs of about [`PACK_BYTES`].
fn chunks(blobs: Vec<(String, Vec<u8>)>) -> Vec<Vec<(String, Vec<u8>)>> {
    let mut packs: Vec<Vec<(String, Vec<u8>)>> = Vec::new();
    let mut size = 0;
    for blob in blobs {
        if packs.is_empty() || size + blob.1.len() > PACK_BYTES {
            packs.push(Vec::new());
            size = 0;
        }
        size += blob.1.len();
        if let Some(last) = packs.last_mut() {
            last.push(blob);
        }
    }
    packs
}
