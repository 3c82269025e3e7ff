//! Damage made on purpose, for the tests of what Gloss does with a damaged
//! library (here because it has to look inside the file).

use std::path::Path;

use rusqlite::Connection;

/// Overwrites the first page of `table` with garbage, as a failing disk would.
pub fn corrupt_table(path: &Path, table: &str) {
    let (root, page_size): (i64, i64) = {
        let conn = Connection::open(path).expect("a test library");
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .expect("a test library");
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .expect("a test library");
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("a test library");
        (root, size)
    };
    overwrite(
        path,
        ((root - 1) * page_size) as u64,
        &vec![0xA5; page_size as usize],
    );
}

/// Writes `bytes` over the file at `at`.
pub fn overwrite(path: &Path, at: u64, bytes: &[u8]) {
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("a test library");
    f.seek(SeekFrom::Start(at)).expect("a test library");
    f.write_all(bytes).expect("a test library");
    f.sync_all().expect("a test library");
}
