//! The kernel's conntrack statistics, which the C library never offered:
//! the table's size (`IPCTNL_MSG_CT_GET_STATS`, `CTA_STATS_GLOBAL_*`), the
//! per-CPU counters (`IPCTNL_MSG_CT_GET_STATS_CPU`, `CTA_STATS_*`) and the
//! per-CPU expectation counters (`IPCTNL_MSG_EXP_GET_STATS_CPU`,
//! `CTA_STATS_EXP_*`). Counters a kernel does not report read as 0.
#![forbid(unsafe_code)]

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::kernel::*;
use crate::netlink::attr::Attrs;
use crate::netlink::message::parse_nfnl;
use crate::Result;

/// The table's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Stats {
    /// Entries in the table (`CTA_STATS_GLOBAL_ENTRIES`).
    pub entries: u32,
    /// The table's limit, `nf_conntrack_max` (`CTA_STATS_GLOBAL_MAX_ENTRIES`).
    pub max_entries: u32,
}

/// The counters of one CPU (`CTA_STATS_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CpuStats {
    /// The CPU number.
    pub cpu: u16,
    /// Lookups that searched (`CTA_STATS_SEARCHED`, old kernels).
    pub searched: u32,
    /// Lookups that found an entry.
    pub found: u32,
    /// New entries (old kernels).
    pub new: u32,
    /// Packets that could not be tracked.
    pub invalid: u32,
    /// Packets ignored (old kernels).
    pub ignore: u32,
    /// Deleted entries (old kernels).
    pub delete: u32,
    /// Entries deleted from the list (old kernels).
    pub delete_list: u32,
    /// Inserted entries.
    pub insert: u32,
    /// Insertions that failed (clashes).
    pub insert_failed: u32,
    /// Packets dropped because an insertion failed.
    pub drop: u32,
    /// Entries dropped early to make room.
    pub early_drop: u32,
    /// Packets with an ICMP error or other failure.
    pub error: u32,
    /// Lookups restarted after a hash resize.
    pub search_restart: u32,
    /// Clashes resolved.
    pub clash_resolve: u32,
    /// Chains too long (`CTA_STATS_CHAIN_TOOLONG`).
    pub chain_toolong: u32,
}

/// The expectation counters of one CPU (`CTA_STATS_EXP_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct ExpectCpuStats {
    /// The CPU number.
    pub cpu: u16,
    /// Expectations set up.
    pub new: u32,
    /// Expectations created.
    pub create: u32,
    /// Expectations deleted.
    pub delete: u32,
}

/// Calls `f` with the type and big-endian u32 value of each 4-byte
/// attribute of message `m`; returns the message's `res_id` (the CPU).
fn walk(m: &[u8], mut f: impl FnMut(u16, u32)) -> Result<u16> {
    let (_, nfg, attrs) = parse_nfnl(m)?;
    for a in Attrs::new(attrs).map_while(|a| a.ok()) {
        if let Ok(v) = a.be32() {
            f(a.kind(), v);
        }
    }
    Ok(nfg.res_id)
}

/// Reads the reply to `IPCTNL_MSG_CT_GET_STATS`.
pub fn parse_global(m: &[u8]) -> Result<Stats> {
    let mut s = Stats::default();
    walk(m, |k, v| match k {
        CTA_STATS_GLOBAL_ENTRIES => s.entries = v,
        CTA_STATS_GLOBAL_MAX_ENTRIES => s.max_entries = v,
        _ => {}
    })?;
    Ok(s)
}

/// Reads one message of the `IPCTNL_MSG_CT_GET_STATS_CPU` dump.
pub fn parse_cpu(m: &[u8]) -> Result<CpuStats> {
    let mut s = CpuStats::default();
    s.cpu = walk(m, |k, v| {
        let slot = match k {
            CTA_STATS_SEARCHED => &mut s.searched,
            CTA_STATS_FOUND => &mut s.found,
            CTA_STATS_NEW => &mut s.new,
            CTA_STATS_INVALID => &mut s.invalid,
            CTA_STATS_IGNORE => &mut s.ignore,
            CTA_STATS_DELETE => &mut s.delete,
            CTA_STATS_DELETE_LIST => &mut s.delete_list,
            CTA_STATS_INSERT => &mut s.insert,
            CTA_STATS_INSERT_FAILED => &mut s.insert_failed,
            CTA_STATS_DROP => &mut s.drop,
            CTA_STATS_EARLY_DROP => &mut s.early_drop,
            CTA_STATS_ERROR => &mut s.error,
            CTA_STATS_SEARCH_RESTART => &mut s.search_restart,
            CTA_STATS_CLASH_RESOLVE => &mut s.clash_resolve,
            CTA_STATS_CHAIN_TOOLONG => &mut s.chain_toolong,
            _ => return,
        };
        *slot = v;
    })?;
    Ok(s)
}

/// Reads one message of the `IPCTNL_MSG_EXP_GET_STATS_CPU` dump.
pub fn parse_expect_cpu(m: &[u8]) -> Result<ExpectCpuStats> {
    let mut s = ExpectCpuStats::default();
    s.cpu = walk(m, |k, v| match k {
        CTA_STATS_EXP_NEW => s.new = v,
        CTA_STATS_EXP_CREATE => s.create = v,
        CTA_STATS_EXP_DELETE => s.delete = v,
        _ => {}
    })?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netlink::message::{finish, start, Header, NfGenMsg};

    fn msg(res_id: u16, attrs: &[(u16, u32)]) -> Vec<u8> {
        let mut out = Vec::new();
        let at = start(
            &mut out,
            &Header::new(1, IPCTNL_MSG_CT_GET_STATS_CPU, 0, 0, 0),
            &NfGenMsg {
                family: 0,
                version: 0,
                res_id,
            },
        );
        for (k, v) in attrs {
            out.extend(8u16.to_ne_bytes());
            out.extend(k.to_ne_bytes());
            out.extend(v.to_be_bytes());
        }
        // An attribute of an unexpected size is skipped.
        out.extend(5u16.to_ne_bytes());
        out.extend(CTA_STATS_FOUND.to_ne_bytes());
        out.extend([9, 0, 0, 0]);
        finish(&mut out, at).unwrap();
        out
    }

    #[test]
    fn parses_counters_and_cpu() {
        let m = msg(
            3,
            &[(CTA_STATS_FOUND, 7), (CTA_STATS_CHAIN_TOOLONG, 2), (99, 1)],
        );
        let s = parse_cpu(&m).unwrap();
        assert_eq!((s.cpu, s.found, s.chain_toolong, s.new), (3, 7, 2, 0));
        let g = parse_global(&msg(
            0,
            &[
                (CTA_STATS_GLOBAL_ENTRIES, 5),
                (CTA_STATS_GLOBAL_MAX_ENTRIES, 65536),
            ],
        ))
        .unwrap();
        assert_eq!(
            g,
            Stats {
                entries: 5,
                max_entries: 65536
            }
        );
        let e = parse_expect_cpu(&msg(1, &[(CTA_STATS_EXP_CREATE, 4)])).unwrap();
        assert_eq!((e.cpu, e.create), (1, 4));
        assert!(parse_cpu(&m[..10]).is_err());
    }
}
