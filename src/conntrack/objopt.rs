//! Object options: `nfct_setobjopt` (undo NAT in the reply tuple, fill one
//! tuple from the other) and `nfct_getobjopt` (is the entry NATed), as
//! upstream's src/conntrack/objopt.c.
#![forbid(unsafe_code)]

use super::object::{Attr, Conntrack, Tuple, DIR_ORIG, DIR_REPL};
use crate::kernel::{AF_INET, AF_INET6, IPS_DST_NAT_DONE, IPS_SRC_NAT_DONE};
use crate::{Error, Result};

/// `NFCT_SOPT_UNDO_SNAT`.
pub const SOPT_UNDO_SNAT: u32 = 0;
/// `NFCT_SOPT_UNDO_DNAT`.
pub const SOPT_UNDO_DNAT: u32 = 1;
/// `NFCT_SOPT_UNDO_SPAT`.
pub const SOPT_UNDO_SPAT: u32 = 2;
/// `NFCT_SOPT_UNDO_DPAT`.
pub const SOPT_UNDO_DPAT: u32 = 3;
/// `NFCT_SOPT_SETUP_ORIGINAL`.
pub const SOPT_SETUP_ORIGINAL: u32 = 4;
/// `NFCT_SOPT_SETUP_REPLY`.
pub const SOPT_SETUP_REPLY: u32 = 5;

/// `NFCT_GOPT_IS_SNAT`.
pub const GOPT_IS_SNAT: u32 = 0;
/// `NFCT_GOPT_IS_DNAT`.
pub const GOPT_IS_DNAT: u32 = 1;
/// `NFCT_GOPT_IS_SPAT`.
pub const GOPT_IS_SPAT: u32 = 2;
/// `NFCT_GOPT_IS_DPAT`.
pub const GOPT_IS_DPAT: u32 = 3;

/// The attributes a filled-in tuple gets marked with (upstream marks both
/// directions' tuple attributes whichever one it fills).
const TUPLE_ATTRS: &[Attr] = &[
    Attr::OrigIpv4Src,
    Attr::OrigIpv4Dst,
    Attr::OrigIpv6Src,
    Attr::OrigIpv6Dst,
    Attr::OrigPortSrc,
    Attr::OrigPortDst,
    Attr::OrigL3Proto,
    Attr::OrigL4Proto,
    Attr::IcmpType,
    Attr::IcmpCode,
    Attr::IcmpId,
    Attr::ReplIpv4Src,
    Attr::ReplIpv4Dst,
    Attr::ReplIpv6Src,
    Attr::ReplIpv6Dst,
    Attr::ReplPortSrc,
    Attr::ReplPortDst,
    Attr::ReplL3Proto,
    Attr::ReplL4Proto,
];

/// Makes tuple `dir` the inverse of the other one: protocols copied,
/// addresses swapped, and for port-based protocols the ports swapped.
fn autocomplete(ct: &mut Conntrack, dir: usize) {
    let other: Tuple = *ct.tuple(if dir == DIR_ORIG { DIR_REPL } else { DIR_ORIG });
    let this = ct.tuple_mut(dir);
    this.l3protonum = other.l3protonum;
    this.protonum = other.protonum;
    this.src = other.dst;
    this.dst = other.src;
    // UDP, TCP, SCTP, DCCP, GRE, UDP-Lite; the ICMP setters already fill
    // the reply tuple.
    if matches!(this.protonum, 17 | 6 | 132 | 33 | 47 | 136) {
        this.l4src = other.l4dst.port();
        this.l4dst.set_port(other.l4src);
    }
    for a in TUPLE_ATTRS {
        ct.mark_set(*a);
    }
}

impl Conntrack {
    /// `nfct_setobjopt`. Options above `SOPT_SETUP_REPLY` fail with
    /// [`Error::NotSupported`] (`EOPNOTSUPP`).
    ///
    /// The undo options move the reply tuple's NATed address or port into
    /// the NAT range (both ends) and put the original one back, marking
    /// the NAT attribute; the address ones act only for IPv4 and IPv6.
    pub fn set_objopt(&mut self, option: u32) -> Result<()> {
        match option {
            SOPT_UNDO_SNAT => match self.head.orig.l3protonum {
                AF_INET => {
                    self.snat.min_ip.0[0] = self.repl.dst.0[0];
                    self.snat.max_ip.0[0] = self.snat.min_ip.0[0];
                    self.repl.dst.0[0] = self.head.orig.src.0[0];
                    self.mark_set(Attr::SnatIpv4);
                }
                AF_INET6 => {
                    self.snat.min_ip = self.repl.dst;
                    self.snat.max_ip = self.snat.min_ip;
                    self.repl.dst = self.head.orig.src;
                    self.mark_set(Attr::SnatIpv6);
                }
                _ => {}
            },
            SOPT_UNDO_DNAT => match self.head.orig.l3protonum {
                AF_INET => {
                    self.dnat.min_ip.0[0] = self.repl.src.0[0];
                    self.dnat.max_ip.0[0] = self.dnat.min_ip.0[0];
                    self.repl.src.0[0] = self.head.orig.dst.0[0];
                    self.mark_set(Attr::DnatIpv4);
                }
                AF_INET6 => {
                    self.dnat.min_ip = self.repl.src;
                    self.dnat.max_ip = self.dnat.min_ip;
                    self.repl.src = self.head.orig.dst;
                    self.mark_set(Attr::DnatIpv6);
                }
                _ => {}
            },
            SOPT_UNDO_SPAT => {
                self.snat.l4min = self.repl.l4dst.port();
                self.snat.l4max = self.snat.l4min;
                self.repl.l4dst.set_port(self.head.orig.l4src);
                self.mark_set(Attr::SnatPort);
            }
            SOPT_UNDO_DPAT => {
                self.dnat.l4min = self.repl.l4src;
                self.dnat.l4max = self.dnat.l4min;
                self.repl.l4src = self.head.orig.l4dst.port();
                self.mark_set(Attr::DnatPort);
            }
            SOPT_SETUP_ORIGINAL => autocomplete(self, DIR_ORIG),
            SOPT_SETUP_REPLY => autocomplete(self, DIR_REPL),
            _ => return Err(Error::NotSupported),
        }
        Ok(())
    }

    /// `nfct_getobjopt`. Options above `GOPT_IS_DPAT` fail with
    /// [`Error::NotSupported`] (`EOPNOTSUPP`).
    ///
    /// An entry is source- (destination-) NATed when its status, if set,
    /// has the NAT-done bit and the reply tuple's destination (source)
    /// differs from the original source (destination); addresses only for
    /// IPv4 and IPv6.
    pub fn get_objopt(&self, option: u32) -> Result<bool> {
        let status_ok = |bit: u32| !self.is_set(Attr::Status) || self.status & bit != 0;
        let (o, r) = (&self.head.orig, &self.repl);
        let addr_differs = |a: &super::object::Addr, b: &super::object::Addr| match o.l3protonum {
            AF_INET => a.0[0] != b.0[0],
            AF_INET6 => a != b,
            _ => false,
        };
        match option {
            GOPT_IS_SNAT => Ok(status_ok(IPS_SRC_NAT_DONE) && addr_differs(&r.dst, &o.src)),
            GOPT_IS_DNAT => Ok(status_ok(IPS_DST_NAT_DONE) && addr_differs(&r.src, &o.dst)),
            GOPT_IS_SPAT => Ok(status_ok(IPS_SRC_NAT_DONE) && r.l4dst.port() != o.l4src),
            GOPT_IS_DPAT => Ok(status_ok(IPS_DST_NAT_DONE) && r.l4src != o.l4dst.port()),
            _ => Err(Error::NotSupported),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conntrack::build::fixtures::set_ids;
    use crate::conntrack::object::Addr;

    fn natted() -> Conntrack {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::OrigL3Proto, AF_INET).unwrap();
        ct.set_u8(Attr::OrigL4Proto, 6).unwrap();
        ct.set_u32(Attr::OrigIpv4Src, 1).unwrap();
        ct.set_u32(Attr::OrigIpv4Dst, 2).unwrap();
        ct.set_u16(Attr::OrigPortSrc, 10).unwrap();
        ct.set_u16(Attr::OrigPortDst, 20).unwrap();
        ct.set_u32(Attr::ReplIpv4Src, 3).unwrap();
        ct.set_u32(Attr::ReplIpv4Dst, 4).unwrap();
        ct.set_u16(Attr::ReplPortSrc, 30).unwrap();
        ct.set_u16(Attr::ReplPortDst, 40).unwrap();
        ct
    }

    #[test]
    fn bad_options() {
        let mut ct = Conntrack::new();
        assert_eq!(ct.set_objopt(6), Err(Error::NotSupported));
        assert_eq!(ct.set_objopt(u32::MAX), Err(Error::NotSupported));
        assert_eq!(ct.get_objopt(4), Err(Error::NotSupported));
    }

    #[test]
    fn get_nat_state() {
        let mut ct = natted();
        for o in 0..4 {
            assert_eq!(ct.get_objopt(o), Ok(true), "{o}");
        }
        ct.set_u32(Attr::Status, IPS_SRC_NAT_DONE).unwrap();
        assert_eq!(ct.get_objopt(GOPT_IS_SNAT), Ok(true));
        assert_eq!(ct.get_objopt(GOPT_IS_DNAT), Ok(false));
        assert_eq!(ct.get_objopt(GOPT_IS_SPAT), Ok(true));
        assert_eq!(ct.get_objopt(GOPT_IS_DPAT), Ok(false));
        // Unknown l3 protocol: never address-NATed, ports still count.
        let mut ct = natted();
        ct.set_u8(Attr::OrigL3Proto, 0).unwrap();
        assert_eq!(ct.get_objopt(GOPT_IS_SNAT), Ok(false));
        assert_eq!(ct.get_objopt(GOPT_IS_SPAT), Ok(true));
    }

    #[test]
    fn undo_nat() {
        let mut ct = natted();
        ct.set_objopt(SOPT_UNDO_SNAT).unwrap();
        assert_eq!((ct.snat.min_ip.0[0], ct.snat.max_ip.0[0]), (4, 4));
        assert_eq!(ct.repl.dst.0[0], 1);
        ct.set_objopt(SOPT_UNDO_DNAT).unwrap();
        assert_eq!((ct.dnat.min_ip.0[0], ct.dnat.max_ip.0[0]), (3, 3));
        assert_eq!(ct.repl.src.0[0], 2);
        ct.set_objopt(SOPT_UNDO_SPAT).unwrap();
        assert_eq!(
            (ct.snat.l4min, ct.snat.l4max, ct.repl.l4dst.port()),
            (40, 40, 10)
        );
        ct.set_objopt(SOPT_UNDO_DPAT).unwrap();
        assert_eq!((ct.dnat.l4min, ct.dnat.l4max, ct.repl.l4src), (30, 30, 20));
        assert!(ct.is_set(Attr::SnatIpv4) && ct.is_set(Attr::DnatIpv4));
        assert!(ct.is_set(Attr::SnatPort) && ct.is_set(Attr::DnatPort));
        for o in 0..4 {
            assert_eq!(ct.get_objopt(o), Ok(false), "{o}");
        }
        let mut v6 = Conntrack::new();
        v6.set_u8(Attr::OrigL3Proto, AF_INET6).unwrap();
        v6.repl.dst = Addr([1, 2, 3, 4]);
        v6.set_objopt(SOPT_UNDO_SNAT).unwrap();
        assert_eq!(v6.snat.max_ip, Addr([1, 2, 3, 4]));
        assert_eq!(v6.repl.dst, Addr::default());
        assert_eq!(set_ids(&v6), vec![15, 70]);
    }

    #[test]
    fn setup_tuples() {
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::OrigL3Proto, AF_INET).unwrap();
        ct.set_u8(Attr::OrigL4Proto, 17).unwrap();
        ct.set_u32(Attr::OrigIpv4Src, 1).unwrap();
        ct.set_u32(Attr::OrigIpv4Dst, 2).unwrap();
        ct.set_u16(Attr::OrigPortSrc, 10).unwrap();
        ct.set_u16(Attr::OrigPortDst, 20).unwrap();
        ct.set_objopt(SOPT_SETUP_REPLY).unwrap();
        assert_eq!(ct.get_u32(Attr::ReplIpv4Src), Ok(2));
        assert_eq!(ct.get_u32(Attr::ReplIpv4Dst), Ok(1));
        assert_eq!(ct.get_u16(Attr::ReplPortSrc), Ok(20));
        assert_eq!(ct.get_u16(Attr::ReplPortDst), Ok(10));
        assert_eq!(ct.get_u8(Attr::ReplL4Proto), Ok(17));
        assert_eq!(set_ids(&ct), (0..=18).collect::<Vec<_>>());
        // ICMP: ports are not swapped.
        let mut ct = Conntrack::new();
        ct.set_u8(Attr::ReplL4Proto, 1).unwrap();
        ct.set_u16(Attr::ReplPortSrc, 7).unwrap();
        ct.set_objopt(SOPT_SETUP_ORIGINAL).unwrap();
        assert_eq!(ct.head.orig.l4dst.port(), 0);
        assert_eq!(ct.get_u8(Attr::OrigL4Proto), Ok(1));
    }
}
