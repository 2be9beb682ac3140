//! Kernel-side filtering: event filters compiled to classic BPF and
//! attached to a ctnetlink socket, and dump filters sent with a dump
//! request.
//!
//! [`EventFilter`] is the state behind `struct nfct_filter` (upstream's
//! src/conntrack/filter.c): what `nfct_filter_add_attr` collects and
//! `nfct_filter_set_logic` selects. [`compile()`] turns it into a program;
//! [`dump::DumpFilter`] is `struct nfct_filter_dump`.
#![forbid(unsafe_code)]

pub mod bpf;
pub mod compile;
pub mod dump;

pub use compile::compile;

use crate::{Error, Result};

/// Number of protocol numbers (`IPPROTO_MAX` of current C libraries).
pub const IPPROTO_MAX: usize = 263;
/// Most `NFCT_FILTER_L4PROTO` additions a filter takes.
pub const L4PROTO_MAX: u32 = 255;
/// Most IPv4 address/mask pairs per direction.
pub const ADDR_MAX: usize = 127;
/// Most IPv6 address/mask pairs per direction.
pub const IPV6_MAX: usize = 20;
/// Most mark value/mask pairs.
pub const MARK_MAX: usize = 127;
/// Most zones.
pub const ZONE_MAX: usize = 127;
/// States per protocol: one bit each in a 16-bit map.
pub const PROTO_STATE_MAX: u16 = 16;

/// Event filter attribute ids (`enum nfct_filter_attr`).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attr {
    L4Proto = 0,
    L4ProtoState = 1,
    SrcIpv4 = 2,
    DstIpv4 = 3,
    SrcIpv6 = 4,
    DstIpv6 = 5,
    Mark = 6,
    Zone = 7,
}

impl Attr {
    /// Number of attributes (`NFCT_FILTER_MAX`).
    pub const COUNT: usize = 8;

    /// The attribute with this numeric id.
    pub fn from_id(id: u32) -> Option<Attr> {
        Some(match id {
            0 => Attr::L4Proto,
            1 => Attr::L4ProtoState,
            2 => Attr::SrcIpv4,
            3 => Attr::DstIpv4,
            4 => Attr::SrcIpv6,
            5 => Attr::DstIpv6,
            6 => Attr::Mark,
            7 => Attr::Zone,
            _ => return None,
        })
    }
}

/// `NFCT_FILTER_LOGIC_POSITIVE`: let matching events through.
pub const LOGIC_POSITIVE: u32 = 0;
/// `NFCT_FILTER_LOGIC_NEGATIVE`: drop matching events.
pub const LOGIC_NEGATIVE: u32 = 1;

/// Address and mask in host byte order, as `struct nfct_filter_ipv4`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ipv4Match {
    pub addr: u32,
    pub mask: u32,
}

/// Address and mask as four host-order words, as `struct nfct_filter_ipv6`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ipv6Match {
    pub addr: [u32; 4],
    pub mask: [u32; 4],
}

/// Value and mask, as `struct nfct_filter_dump_mark`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarkMatch {
    pub val: u32,
    pub mask: u32,
}

/// Per-protocol state set (upstream keeps a map and a count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateSet {
    pub map: u16,
    pub len: u16,
}

/// A value added with `nfct_filter_add_attr`, already read from C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// `NFCT_FILTER_L4PROTO`: protocol number (C `int`).
    L4Proto(i32),
    /// `NFCT_FILTER_L4PROTO_STATE`: protocol and state number.
    L4ProtoState {
        proto: u16,
        state: u16,
    },
    SrcIpv4(Ipv4Match),
    DstIpv4(Ipv4Match),
    SrcIpv6(Ipv6Match),
    DstIpv6(Ipv6Match),
    Mark(MarkMatch),
    Zone(u16),
}

/// The event filter under construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFilter {
    /// Logic per attribute, as C passed it (0 positive, 1 negative).
    pub logic: [u32; Attr::COUNT],
    /// Protocols to match, one bit each.
    pub l4proto_map: [u32; IPPROTO_MAX.div_ceil(32)],
    /// How many protocol additions were taken.
    pub l4proto_len: u32,
    /// States to match, per protocol number.
    pub l4proto_state: Vec<StateSet>,
    /// IPv4 source (index 0) and destination (1) matches.
    pub ipv4: [Vec<Ipv4Match>; 2],
    /// IPv6 source (index 0) and destination (1) matches.
    pub ipv6: [Vec<Ipv6Match>; 2],
    pub mark: Vec<MarkMatch>,
    pub zone: Vec<u16>,
    /// Attributes added at least once, one bit per [`Attr`].
    pub set: u32,
}

impl Default for EventFilter {
    fn default() -> Self {
        EventFilter {
            logic: [LOGIC_POSITIVE; Attr::COUNT],
            l4proto_map: [0; IPPROTO_MAX.div_ceil(32)],
            l4proto_len: 0,
            l4proto_state: vec![StateSet::default(); IPPROTO_MAX],
            ipv4: [Vec::new(), Vec::new()],
            ipv6: [Vec::new(), Vec::new()],
            mark: Vec::new(),
            zone: Vec::new(),
            set: 0,
        }
    }
}

impl EventFilter {
    /// An empty filter: every event passes.
    pub fn new() -> EventFilter {
        EventFilter::default()
    }

    /// Adds one value. Like upstream, a value past an attribute's limit
    /// (or out of range) is silently ignored; the attribute still counts
    /// as set.
    pub fn add(&mut self, value: Value) {
        let attr = match value {
            Value::L4Proto(p) => {
                // Upstream ignores numbers >= IPPROTO_MAX; negative ones
                // would index outside its map, so they are ignored too.
                if self.l4proto_len < L4PROTO_MAX {
                    if let Ok(p) = usize::try_from(p) {
                        if p < IPPROTO_MAX {
                            self.l4proto_map[p / 32] |= 1 << (p % 32);
                            self.l4proto_len += 1;
                        }
                    }
                }
                Attr::L4Proto
            }
            Value::L4ProtoState { proto, state } => {
                // Upstream does not range-check the protocol (it writes
                // outside its table); we ignore protocols >= IPPROTO_MAX.
                if state < PROTO_STATE_MAX {
                    if let Some(s) = self.l4proto_state.get_mut(usize::from(proto)) {
                        s.map |= 1 << state;
                        s.len = s.len.wrapping_add(1);
                    }
                }
                Attr::L4ProtoState
            }
            Value::SrcIpv4(m) | Value::DstIpv4(m) => {
                let (dir, attr) = match value {
                    Value::SrcIpv4(_) => (0, Attr::SrcIpv4),
                    _ => (1, Attr::DstIpv4),
                };
                if self.ipv4[dir].len() < ADDR_MAX {
                    self.ipv4[dir].push(m);
                }
                attr
            }
            Value::SrcIpv6(m) | Value::DstIpv6(m) => {
                let (dir, attr) = match value {
                    Value::SrcIpv6(_) => (0, Attr::SrcIpv6),
                    _ => (1, Attr::DstIpv6),
                };
                if self.ipv6[dir].len() < IPV6_MAX {
                    self.ipv6[dir].push(m);
                }
                attr
            }
            Value::Mark(m) => {
                if self.mark.len() < MARK_MAX {
                    self.mark.push(m);
                }
                Attr::Mark
            }
            Value::Zone(z) => {
                if self.zone.len() < ZONE_MAX {
                    self.zone.push(z);
                }
                Attr::Zone
            }
        };
        self.set |= 1 << attr as u32;
    }

    /// Whether protocol `p` is in the protocol map.
    pub fn has_l4proto(&self, p: usize) -> bool {
        p < IPPROTO_MAX && self.l4proto_map[p / 32] & (1 << (p % 32)) != 0
    }

    /// Sets the logic of attribute id `attr`. Upstream's rules: an id
    /// `>= NFCT_FILTER_MAX` fails with `EOPNOTSUPP`; once a non-zero
    /// (negative) logic is stored, further calls fail with `EBUSY`. The
    /// logic value itself is stored as given.
    pub fn set_logic(&mut self, attr: u32, logic: u32) -> Result<()> {
        let slot = usize::try_from(attr)
            .ok()
            .and_then(|i| self.logic.get_mut(i))
            .ok_or(Error::NotSupported)?;
        if *slot != 0 {
            return Err(Error::Os(libc::EBUSY));
        }
        *slot = logic;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_attribute() {
        let mut f = EventFilter::new();
        for i in 0..300 {
            f.add(Value::SrcIpv4(Ipv4Match { addr: i, mask: !0 }));
            f.add(Value::DstIpv6(Ipv6Match::default()));
            f.add(Value::Mark(MarkMatch { val: i, mask: !0 }));
            f.add(Value::Zone(i as u16));
            f.add(Value::L4Proto((i % 200) as i32));
        }
        assert_eq!(f.ipv4[0].len(), 127);
        assert_eq!(f.ipv4[1].len(), 0);
        assert_eq!(f.ipv6[1].len(), 20);
        assert_eq!(f.mark.len(), 127);
        assert_eq!(f.zone.len(), 127);
        assert_eq!(f.mark[126].val, 126);
        // 255 additions are counted, duplicates included.
        assert_eq!(f.l4proto_len, 255);
        assert!(f.has_l4proto(199));
        assert_eq!(f.set, 0b1110_0101);
    }

    #[test]
    fn out_of_range_values_are_ignored() {
        let mut f = EventFilter::new();
        f.add(Value::L4Proto(263));
        f.add(Value::L4Proto(-1));
        assert_eq!(f.l4proto_len, 0);
        f.add(Value::L4Proto(262));
        assert!(f.has_l4proto(262));
        f.add(Value::L4ProtoState {
            proto: 6,
            state: 16,
        });
        f.add(Value::L4ProtoState {
            proto: 9999,
            state: 1,
        });
        assert_eq!(f.l4proto_state[6], StateSet::default());
        f.add(Value::L4ProtoState { proto: 6, state: 3 });
        f.add(Value::L4ProtoState { proto: 6, state: 3 });
        assert_eq!(f.l4proto_state[6], StateSet { map: 8, len: 2 });
        assert_eq!(f.set, 0b11);
    }

    #[test]
    fn logic_rules() {
        let mut f = EventFilter::new();
        assert_eq!(f.set_logic(8, LOGIC_NEGATIVE), Err(Error::NotSupported));
        assert_eq!(
            f.set_logic(u32::MAX, LOGIC_NEGATIVE),
            Err(Error::NotSupported)
        );
        // Positive is the default and may be set again and again.
        assert_eq!(f.set_logic(0, LOGIC_POSITIVE), Ok(()));
        assert_eq!(f.set_logic(0, LOGIC_POSITIVE), Ok(()));
        assert_eq!(f.set_logic(0, LOGIC_NEGATIVE), Ok(()));
        assert_eq!(
            f.set_logic(0, LOGIC_POSITIVE).unwrap_err().errno(),
            libc::EBUSY
        );
        assert_eq!(f.logic[0], LOGIC_NEGATIVE);
    }
}
