//! Which automatic backups to keep: the newest of each of the last 7 days
//! that have one, the newest of each of the last 4 weeks that have one (ISO
//! weeks, so a weekly backup outlives the dailies), and the 2 newest taken
//! before a schema upgrade. The same rule as `restic forget --keep-daily 7
//! --keep-weekly 4`: a backup may count as both a daily and a weekly.
//! Days and weeks are in UTC, so the rule does not move with the clock's
//! time zone.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, NaiveDate};

use crate::model::BackupKind;

/// Daily backups kept, one per day.
pub const KEEP_DAILY: usize = 7;
/// Weekly backups kept, one per ISO week.
pub const KEEP_WEEKLY: usize = 4;
/// Backups taken before a schema upgrade that are kept.
pub const KEEP_UPGRADE: usize = 2;

/// A backup as the rotation sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dated {
    pub kind: BackupKind,
    /// Milliseconds since the Unix epoch, UTC.
    pub taken_at: i64,
}

/// For each backup (in the order given), whether to keep it.
pub fn keep(backups: &[Dated]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..backups.len()).collect();
    // Newest first; the index breaks ties so the result never depends on the sort.
    order.sort_by_key(|&i| (std::cmp::Reverse(backups[i].taken_at), i));
    let mut kept = vec![false; backups.len()];
    let mut days: HashSet<NaiveDate> = HashSet::new();
    let mut weeks: HashSet<(i32, u32)> = HashSet::new();
    let mut upgrades = 0;
    for i in order {
        let b = backups[i];
        match b.kind {
            BackupKind::Upgrade => {
                if upgrades < KEEP_UPGRADE {
                    upgrades += 1;
                    kept[i] = true;
                }
            }
            BackupKind::Daily => {
                let date = day(b.taken_at);
                if days.len() < KEEP_DAILY && days.insert(date) {
                    kept[i] = true;
                }
                let week = date.iso_week();
                if weeks.len() < KEEP_WEEKLY && weeks.insert((week.year(), week.week())) {
                    kept[i] = true;
                }
            }
        }
    }
    kept
}

fn day(ms: i64) -> NaiveDate {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;
    const DAY: i64 = 24 * HOUR;
    /// Monday 2026-11-02, 12:00 UTC.
    const MONDAY: i64 = 1_793_620_800_000;

    fn daily(t: i64) -> Dated {
        Dated {
            kind: BackupKind::Daily,
            taken_at: t,
        }
    }

    fn kept_times(backups: &[Dated]) -> Vec<i64> {
        let k = keep(backups);
        let mut out: Vec<i64> = backups
            .iter()
            .zip(k)
            .filter(|(_, k)| *k)
            .map(|(b, _)| b.taken_at)
            .collect();
        out.sort();
        out
    }

    #[test]
    fn the_reference_day_is_a_monday() {
        assert_eq!(day(MONDAY).weekday(), chrono::Weekday::Mon);
    }

    #[test]
    fn fewer_backups_than_the_limits_are_all_kept() {
        let b: Vec<Dated> = (0..5).map(|d| daily(MONDAY + d * DAY)).collect();
        assert_eq!(keep(&b), vec![true; 5]);
        assert!(keep(&[]).is_empty());
    }

    #[test]
    fn sixty_days_of_backups_keep_seven_dailies_and_four_weeklies() {
        let b: Vec<Dated> = (0..60).map(|d| daily(MONDAY + d * DAY)).collect();
        let kept = kept_times(&b);
        let newest = MONDAY + 59 * DAY;
        // The last seven days...
        let dailies: Vec<i64> = (0..7).map(|d| newest - (6 - d) * DAY).collect();
        for t in &dailies {
            assert!(kept.contains(t), "day {} missing", (t - MONDAY) / DAY);
        }
        // ...and the newest backup of each of the last four ISO weeks: day 59
        // is a Thursday (its week starts on day 56, kept as a daily), the week
        // before ends on day 55 (a daily too), then days 48 and 41 (Sundays).
        for d in [41, 48] {
            assert!(kept.contains(&(MONDAY + d * DAY)), "weekly day {d} missing");
        }
        assert_eq!(kept.len(), 7 + 2, "{:?}", kept);
    }

    #[test]
    fn several_backups_on_one_day_keep_only_the_newest() {
        let b = vec![
            daily(MONDAY),
            daily(MONDAY + HOUR),
            daily(MONDAY + 2 * HOUR),
        ];
        assert_eq!(keep(&b), vec![false, false, true]);
    }

    #[test]
    fn upgrade_backups_are_kept_apart_from_the_dailies() {
        let mut b: Vec<Dated> = (0..30).map(|d| daily(MONDAY + d * DAY)).collect();
        for d in [1, 10, 20] {
            b.push(Dated {
                kind: BackupKind::Upgrade,
                taken_at: MONDAY + d * DAY + HOUR,
            });
        }
        let k = keep(&b);
        let upgrades: Vec<bool> = k[30..].to_vec();
        assert_eq!(upgrades, vec![false, true, true]);
        // The dailies are counted as if the upgrade backups were not there.
        assert_eq!(k[..30].iter().filter(|k| **k).count(), 7 + 2);
    }

    #[test]
    fn a_gap_in_the_days_reaches_back_to_older_backups() {
        // Backups on days 0..3 and 20..22: the seven "last days with a backup"
        // are 20, 21, 22, 1, 2, 3, 0.
        let b: Vec<Dated> = (0..4)
            .chain(20..23)
            .map(|d| daily(MONDAY + d * DAY))
            .collect();
        assert_eq!(keep(&b), vec![true; 7]);
        let mut more = b.clone();
        more.push(daily(MONDAY + 23 * DAY));
        // Day 0 is now the eighth day back, and the weekly rule keeps day 3
        // (the newest of that week), not day 0.
        let k = keep(&more);
        assert!(!k[0] && k[1] && k[2] && k[3]);
    }
}
