//! Attribute groups: several attributes set, read, tested or cleared at
//! once through one C struct (upstream src/conntrack/grp.c, grp_getter.c,
//! grp_setter.c and the group functions of api.c).
//!
//! The C layer copies the caller's struct to and from bytes in the C
//! layout (`struct nfct_attr_grp_ipv4` and friends, native byte order);
//! Rust callers may use [`GrpData`] instead.
#![forbid(unsafe_code)]

use super::attr::set_icmp_type;
use super::object::{Addr, Attr, Conntrack, Tuple, DIR_ORIG, DIR_REPL, SET_WORDS};
use crate::kernel::{AF_INET, AF_INET6};
use crate::{Error, Result};

macro_rules! grps {
    ($($variant:ident = $val:expr),* $(,)?) => {
        /// Attribute group ids: the numbers of `enum nf_conntrack_attr_grp`.
        #[repr(u32)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Grp { $($variant = $val),* }

        impl Grp {
            /// Every group, in id order.
            pub const ALL: &'static [Grp] = &[$(Grp::$variant),*];
        }
    };
}

grps! {
    OrigIpv4 = 0, ReplIpv4 = 1, OrigIpv6 = 2, ReplIpv6 = 3, OrigPort = 4,
    ReplPort = 5, Icmp = 6, MasterIpv4 = 7, MasterIpv6 = 8, MasterPort = 9,
    OrigCounters = 10, ReplCounters = 11, OrigAddrSrc = 12, OrigAddrDst = 13,
    ReplAddrSrc = 14, ReplAddrDst = 15,
}

/// `struct nfct_attr_grp_ipv4`: addresses in network byte order.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrpIpv4 {
    pub src: u32,
    pub dst: u32,
}

/// `struct nfct_attr_grp_ipv6`: addresses as in `struct in6_addr`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrpIpv6 {
    pub src: [u32; 4],
    pub dst: [u32; 4],
}

/// `struct nfct_attr_grp_port`: ports in network byte order.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrpPort {
    pub sport: u16,
    pub dport: u16,
}

/// `struct nfct_attr_grp_icmp`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrpIcmp {
    pub id: u16,
    pub code: u8,
    pub type_: u8,
}

/// `struct nfct_attr_grp_ctrs`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrpCtrs {
    pub packets: u64,
    pub bytes: u64,
}

/// `union nfct_attr_grp_addr`: an IPv4 address in the first word or an
/// IPv6 address.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GrpAddr {
    pub addr: [u32; 4],
}

const _: () = {
    assert!(std::mem::size_of::<GrpIpv4>() == 8 && std::mem::align_of::<GrpIpv4>() == 4);
    assert!(std::mem::size_of::<GrpIpv6>() == 32 && std::mem::align_of::<GrpIpv6>() == 4);
    assert!(std::mem::size_of::<GrpPort>() == 4 && std::mem::align_of::<GrpPort>() == 2);
    assert!(std::mem::size_of::<GrpIcmp>() == 4 && std::mem::align_of::<GrpIcmp>() == 2);
    assert!(std::mem::size_of::<GrpCtrs>() == 16 && std::mem::align_of::<GrpCtrs>() == 8);
    assert!(std::mem::size_of::<GrpAddr>() == 16 && std::mem::align_of::<GrpAddr>() == 4);
};

/// The data of one group, typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrpData {
    Ipv4(GrpIpv4),
    Ipv6(GrpIpv6),
    Port(GrpPort),
    Icmp(GrpIcmp),
    Ctrs(GrpCtrs),
    Addr(GrpAddr),
}

/// How a group counts as set: all of its attributes, or any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Test {
    All,
    Any,
}

fn words(ids: &[Attr]) -> [u32; SET_WORDS] {
    let mut w = [0u32; SET_WORDS];
    for a in ids {
        let id = a.id() as usize;
        if let Some(x) = w.get_mut(id / 32) {
            *x |= 1 << (id % 32);
        }
    }
    w
}

impl Grp {
    /// The group with C id `id`, or [`Error::InvalidArgument`] (upstream
    /// rejects ids `>= ATTR_GRP_MAX` with `EINVAL`).
    pub fn from_id(id: i32) -> Result<Grp> {
        usize::try_from(id)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
            .ok_or(Error::InvalidArgument)
    }

    /// The attributes of the group.
    pub fn attrs(self) -> &'static [Attr] {
        use Attr::*;
        match self {
            Grp::OrigIpv4 => &[OrigIpv4Src, OrigIpv4Dst, OrigL3Proto],
            Grp::ReplIpv4 => &[ReplIpv4Src, ReplIpv4Dst, ReplL3Proto],
            Grp::OrigIpv6 => &[OrigIpv6Src, OrigIpv6Dst, OrigL3Proto],
            Grp::ReplIpv6 => &[ReplIpv6Src, ReplIpv6Dst, ReplL3Proto],
            Grp::OrigPort => &[OrigPortSrc, OrigPortDst, OrigL4Proto],
            Grp::ReplPort => &[ReplPortSrc, ReplPortDst, ReplL4Proto],
            Grp::Icmp => &[IcmpCode, IcmpType, IcmpId],
            Grp::MasterIpv4 => &[MasterIpv4Src, MasterIpv4Dst, MasterL3Proto],
            Grp::MasterIpv6 => &[MasterIpv6Src, MasterIpv6Dst, MasterL3Proto],
            Grp::MasterPort => &[MasterPortSrc, MasterPortDst, MasterL4Proto],
            Grp::OrigCounters => &[OrigCounterPackets, OrigCounterBytes],
            Grp::ReplCounters => &[ReplCounterPackets, ReplCounterBytes],
            Grp::OrigAddrSrc => &[OrigIpv4Src, OrigIpv6Src],
            Grp::OrigAddrDst => &[OrigIpv4Dst, OrigIpv6Dst],
            Grp::ReplAddrSrc => &[ReplIpv4Src, ReplIpv6Src],
            Grp::ReplAddrDst => &[ReplIpv4Dst, ReplIpv6Dst],
        }
    }

    fn test(self) -> Test {
        match self {
            Grp::OrigAddrSrc | Grp::OrigAddrDst | Grp::ReplAddrSrc | Grp::ReplAddrDst => Test::Any,
            _ => Test::All,
        }
    }

    /// Size in bytes of the group's C struct (what `nfct_get_attr_grp`
    /// writes).
    pub fn data_len(self) -> usize {
        match self {
            Grp::OrigIpv4 | Grp::ReplIpv4 | Grp::MasterIpv4 => 8,
            Grp::OrigIpv6 | Grp::ReplIpv6 | Grp::MasterIpv6 => 32,
            Grp::OrigPort | Grp::ReplPort | Grp::MasterPort | Grp::Icmp => 4,
            Grp::OrigCounters | Grp::ReplCounters => 16,
            Grp::OrigAddrSrc | Grp::OrigAddrDst | Grp::ReplAddrSrc | Grp::ReplAddrDst => 16,
        }
    }

    /// Bytes of the C struct that `nfct_set_attr_grp` reads: 0 for the
    /// groups whose setter only marks attributes (counters, addresses).
    pub fn set_len(self) -> usize {
        match self {
            Grp::OrigCounters
            | Grp::ReplCounters
            | Grp::OrigAddrSrc
            | Grp::OrigAddrDst
            | Grp::ReplAddrSrc
            | Grp::ReplAddrDst => 0,
            g => g.data_len(),
        }
    }
}

fn u16_at(b: &[u8], off: usize) -> u16 {
    let mut x = [0u8; 2];
    for (o, i) in x.iter_mut().zip(b.iter().skip(off)) {
        *o = *i;
    }
    u16::from_ne_bytes(x)
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    let mut x = [0u8; 4];
    for (o, i) in x.iter_mut().zip(b.iter().skip(off)) {
        *o = *i;
    }
    u32::from_ne_bytes(x)
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    let mut x = [0u8; 8];
    for (o, i) in x.iter_mut().zip(b.iter().skip(off)) {
        *o = *i;
    }
    u64::from_ne_bytes(x)
}

fn words4_at(b: &[u8], off: usize) -> [u32; 4] {
    [
        u32_at(b, off),
        u32_at(b, off + 4),
        u32_at(b, off + 8),
        u32_at(b, off + 12),
    ]
}

impl GrpData {
    /// Reads the C struct of group `g` from `b` (zero-padded when short).
    pub fn from_bytes(g: Grp, b: &[u8]) -> GrpData {
        match g {
            Grp::OrigIpv4 | Grp::ReplIpv4 | Grp::MasterIpv4 => GrpData::Ipv4(GrpIpv4 {
                src: u32_at(b, 0),
                dst: u32_at(b, 4),
            }),
            Grp::OrigIpv6 | Grp::ReplIpv6 | Grp::MasterIpv6 => GrpData::Ipv6(GrpIpv6 {
                src: words4_at(b, 0),
                dst: words4_at(b, 16),
            }),
            Grp::OrigPort | Grp::ReplPort | Grp::MasterPort => GrpData::Port(GrpPort {
                sport: u16_at(b, 0),
                dport: u16_at(b, 2),
            }),
            Grp::Icmp => GrpData::Icmp(GrpIcmp {
                id: u16_at(b, 0),
                code: b.get(2).copied().unwrap_or(0),
                type_: b.get(3).copied().unwrap_or(0),
            }),
            Grp::OrigCounters | Grp::ReplCounters => GrpData::Ctrs(GrpCtrs {
                packets: u64_at(b, 0),
                bytes: u64_at(b, 8),
            }),
            Grp::OrigAddrSrc | Grp::OrigAddrDst | Grp::ReplAddrSrc | Grp::ReplAddrDst => {
                GrpData::Addr(GrpAddr {
                    addr: words4_at(b, 0),
                })
            }
        }
    }

    /// The C struct's bytes, native byte order.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(32);
        match self {
            GrpData::Ipv4(x) => {
                v.extend_from_slice(&x.src.to_ne_bytes());
                v.extend_from_slice(&x.dst.to_ne_bytes());
            }
            GrpData::Ipv6(x) => {
                for w in x.src.iter().chain(x.dst.iter()) {
                    v.extend_from_slice(&w.to_ne_bytes());
                }
            }
            GrpData::Port(x) => {
                v.extend_from_slice(&x.sport.to_ne_bytes());
                v.extend_from_slice(&x.dport.to_ne_bytes());
            }
            GrpData::Icmp(x) => {
                v.extend_from_slice(&x.id.to_ne_bytes());
                v.push(x.code);
                v.push(x.type_);
            }
            GrpData::Ctrs(x) => {
                v.extend_from_slice(&x.packets.to_ne_bytes());
                v.extend_from_slice(&x.bytes.to_ne_bytes());
            }
            GrpData::Addr(x) => {
                for w in x.addr {
                    v.extend_from_slice(&w.to_ne_bytes());
                }
            }
        }
        v
    }
}

fn set_v4(t: &mut Tuple, x: &GrpIpv4) {
    t.src.0[0] = x.src;
    t.dst.0[0] = x.dst;
    t.l3protonum = AF_INET;
}

fn set_v6(t: &mut Tuple, x: &GrpIpv6) {
    t.src = Addr(x.src);
    t.dst = Addr(x.dst);
    t.l3protonum = AF_INET6;
}

fn set_port(t: &mut Tuple, x: &GrpPort) {
    t.l4src = x.sport;
    t.l4dst.set_port(x.dport);
}

fn v4_of(t: &Tuple) -> GrpData {
    GrpData::Ipv4(GrpIpv4 {
        src: t.src.0[0],
        dst: t.dst.0[0],
    })
}

fn v6_of(t: &Tuple) -> GrpData {
    GrpData::Ipv6(GrpIpv6 {
        src: t.src.0,
        dst: t.dst.0,
    })
}

fn port_of(t: &Tuple) -> GrpData {
    GrpData::Port(GrpPort {
        sport: t.l4src,
        dport: t.l4dst.port(),
    })
}

impl Conntrack {
    /// `nfct_set_attr_grp`: stores `data` and marks every attribute of
    /// the group as set. The IPv4/IPv6 groups also set the tuple's l3
    /// protocol (`AF_INET`/`AF_INET6`); the ICMP group fills the reply
    /// tuple as the ICMP setters do. The counter and address groups store
    /// nothing (upstream's setters for them are empty) and only mark.
    /// Data of another group's type is ignored, the marks are still set.
    pub fn set_grp(&mut self, g: Grp, data: Option<&GrpData>) {
        match (g, data) {
            (Grp::OrigIpv4, Some(GrpData::Ipv4(x))) => set_v4(&mut self.head.orig, x),
            (Grp::ReplIpv4, Some(GrpData::Ipv4(x))) => set_v4(&mut self.repl, x),
            (Grp::MasterIpv4, Some(GrpData::Ipv4(x))) => set_v4(&mut self.master, x),
            (Grp::OrigIpv6, Some(GrpData::Ipv6(x))) => set_v6(&mut self.head.orig, x),
            (Grp::ReplIpv6, Some(GrpData::Ipv6(x))) => set_v6(&mut self.repl, x),
            (Grp::MasterIpv6, Some(GrpData::Ipv6(x))) => set_v6(&mut self.master, x),
            (Grp::OrigPort, Some(GrpData::Port(x))) => set_port(&mut self.head.orig, x),
            (Grp::ReplPort, Some(GrpData::Port(x))) => set_port(&mut self.repl, x),
            (Grp::MasterPort, Some(GrpData::Port(x))) => set_port(&mut self.master, x),
            (Grp::Icmp, Some(GrpData::Icmp(x))) => {
                set_icmp_type(self, x.type_);
                for t in [DIR_ORIG, DIR_REPL] {
                    let t = self.tuple_mut(t);
                    t.l4dst.0[1] = x.code;
                    t.l4src = x.id;
                }
            }
            _ => {}
        }
        for a in g.attrs() {
            self.mark_set(*a);
        }
    }

    /// `nfct_set_attr_grp` from the bytes of the C struct.
    pub fn set_grp_bytes(&mut self, g: Grp, b: &[u8]) {
        let d = GrpData::from_bytes(g, b);
        self.set_grp(g, Some(&d));
    }

    /// `nfct_attr_grp_is_set`: all attributes of the group are set (for
    /// the address groups: any of them).
    pub fn grp_is_set(&self, g: Grp) -> bool {
        let mut it = g.attrs().iter();
        match g.test() {
            Test::All => it.all(|a| self.is_set(*a)),
            Test::Any => it.any(|a| self.is_set(*a)),
        }
    }

    /// `nfct_get_attr_grp`: the group's data, or [`Error::NotSet`] when
    /// [`Conntrack::grp_is_set`] is false. The address groups copy the
    /// whole 16-byte address whichever family is set.
    pub fn get_grp(&self, g: Grp) -> Result<GrpData> {
        if !self.grp_is_set(g) {
            return Err(Error::NotSet);
        }
        let o = &self.head.orig;
        Ok(match g {
            Grp::OrigIpv4 => v4_of(o),
            Grp::ReplIpv4 => v4_of(&self.repl),
            Grp::MasterIpv4 => v4_of(&self.master),
            Grp::OrigIpv6 => v6_of(o),
            Grp::ReplIpv6 => v6_of(&self.repl),
            Grp::MasterIpv6 => v6_of(&self.master),
            Grp::OrigPort => port_of(o),
            Grp::ReplPort => port_of(&self.repl),
            Grp::MasterPort => port_of(&self.master),
            Grp::Icmp => GrpData::Icmp(GrpIcmp {
                id: o.l4src,
                code: o.l4dst.icmp_code(),
                type_: o.l4dst.icmp_type(),
            }),
            Grp::OrigCounters => GrpData::Ctrs(GrpCtrs {
                packets: self.counters[DIR_ORIG].packets,
                bytes: self.counters[DIR_ORIG].bytes,
            }),
            Grp::ReplCounters => GrpData::Ctrs(GrpCtrs {
                packets: self.counters[DIR_REPL].packets,
                bytes: self.counters[DIR_REPL].bytes,
            }),
            Grp::OrigAddrSrc => GrpData::Addr(GrpAddr { addr: o.src.0 }),
            Grp::OrigAddrDst => GrpData::Addr(GrpAddr { addr: o.dst.0 }),
            Grp::ReplAddrSrc => GrpData::Addr(GrpAddr {
                addr: self.repl.src.0,
            }),
            Grp::ReplAddrDst => GrpData::Addr(GrpAddr {
                addr: self.repl.dst.0,
            }),
        })
    }

    /// `nfct_attr_grp_unset`: clears the marks of every attribute of the
    /// group; stored data stays.
    pub fn unset_grp(&mut self, g: Grp) {
        let w = words(g.attrs());
        for (s, m) in self.head.set.iter_mut().zip(w) {
            *s &= !m;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::build::fixtures::set_ids;

    #[test]
    fn ids() {
        assert_eq!(Grp::ALL.len(), 16);
        for (i, g) in Grp::ALL.iter().enumerate() {
            assert_eq!(*g as usize, i);
            assert_eq!(Grp::from_id(i as i32), Ok(*g));
        }
        assert_eq!(Grp::from_id(16), Err(Error::InvalidArgument));
        assert_eq!(Grp::from_id(-1), Err(Error::InvalidArgument));
    }

    #[test]
    fn every_group_round_trips() {
        let bytes: Vec<u8> = (1..=32).collect();
        for &g in Grp::ALL {
            let mut ct = Conntrack::new();
            assert!(!ct.grp_is_set(g));
            assert_eq!(ct.get_grp(g), Err(Error::NotSet));
            ct.set_grp_bytes(g, &bytes[..g.data_len()]);
            let mut want: Vec<u32> = g.attrs().iter().map(|a| a.id()).collect();
            want.sort();
            assert_eq!(set_ids(&ct), want, "{g:?}");
            assert!(ct.grp_is_set(g));
            let got = ct.get_grp(g).unwrap().to_bytes();
            assert_eq!(got.len(), g.data_len());
            if g.set_len() > 0 {
                assert_eq!(got, bytes[..g.data_len()], "{g:?}");
            } else {
                assert!(got.iter().all(|b| *b == 0), "{g:?}");
            }
            ct.unset_grp(g);
            assert!(set_ids(&ct).is_empty());
            assert!(!ct.grp_is_set(g));
        }
    }

    #[test]
    fn address_families_follow_the_group() {
        let mut ct = Conntrack::new();
        ct.set_grp(
            Grp::OrigIpv4,
            Some(&GrpData::Ipv4(GrpIpv4 { src: 1, dst: 2 })),
        );
        assert_eq!(ct.get_u8(Attr::OrigL3Proto), Ok(AF_INET));
        ct.set_grp(
            Grp::MasterIpv6,
            Some(&GrpData::Ipv6(GrpIpv6 {
                src: [1, 2, 3, 4],
                dst: [5, 6, 7, 8],
            })),
        );
        assert_eq!(ct.get_u8(Attr::MasterL3Proto), Ok(AF_INET6));
        assert_eq!(ct.master.dst, Addr([5, 6, 7, 8]));
    }

    #[test]
    fn address_groups_need_any_member() {
        let mut ct = Conntrack::new();
        ct.set_u32(Attr::ReplIpv4Dst, 0x0100_000a).unwrap();
        assert!(ct.grp_is_set(Grp::ReplAddrDst));
        assert!(!ct.grp_is_set(Grp::ReplAddrSrc));
        assert_eq!(
            ct.get_grp(Grp::ReplAddrDst),
            Ok(GrpData::Addr(GrpAddr {
                addr: [0x0100_000a, 0, 0, 0]
            }))
        );
        // The IPv4 group needs all three.
        assert!(!ct.grp_is_set(Grp::ReplIpv4));
        ct.set_u32(Attr::ReplIpv4Src, 1).unwrap();
        assert!(!ct.grp_is_set(Grp::ReplIpv4));
        ct.set_u8(Attr::ReplL3Proto, 2).unwrap();
        assert!(ct.grp_is_set(Grp::ReplIpv4));
        // Unsetting the address group clears both families' marks only.
        ct.set_bytes(Attr::ReplIpv6Dst, &[9; 16]).unwrap();
        ct.unset_grp(Grp::ReplAddrDst);
        assert_eq!(set_ids(&ct), vec![2, 16]);
    }

    #[test]
    fn icmp_group_fills_reply() {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::OrigL3Proto, AF_INET).unwrap();
        let d = GrpData::Icmp(GrpIcmp {
            id: 0x4242,
            code: 0,
            type_: 13,
        });
        ct.set_grp(Grp::Icmp, Some(&d));
        assert_eq!(ct.repl.l4dst.0, [14, 0]);
        assert_eq!(ct.repl.l4src, 0x4242);
        assert_eq!(ct.get_grp(Grp::Icmp), Ok(d));
        assert_eq!(d.to_bytes(), [0x42, 0x42, 0, 13]);
    }

    #[test]
    fn mismatched_or_missing_data_only_marks() {
        let mut ct = Conntrack::new();
        ct.set_grp(Grp::OrigPort, None);
        assert!(ct.grp_is_set(Grp::OrigPort));
        assert_eq!(ct.head.orig.l4src, 0);
        ct.set_grp(Grp::OrigCounters, Some(&GrpData::Port(GrpPort::default())));
        assert!(ct.grp_is_set(Grp::OrigCounters));
    }
}
