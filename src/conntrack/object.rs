//! The conntrack object: its storage, laid out like upstream's
//! `struct nf_conntrack` (include/internal/object.h), and the attribute ids.
//!
//! Values are kept the way the kernel and the C API hand them over:
//! addresses and ports in network byte order (the field holds the bytes as
//! they are on the wire), everything else in host order. Fields that share
//! storage upstream (the protocol-info union, the ICMP type/code and the
//! destination port) share it here too, so that every sequence of setters
//! reads back exactly as it does with the original.
//!
//! The all-zero bit pattern is a valid empty object: C callers may
//! allocate `nfct_maxsize()` zeroed bytes and use them as an object.
#![forbid(unsafe_code)]

use std::borrow::Cow;

use crate::labels::Bitmask;

/// Longest helper name, including the terminating NUL (`NFCT_HELPER_NAME_MAX`).
pub const HELPER_NAME_MAX: usize = 16;

macro_rules! attrs {
    ($(#[$m:meta])* $name:ident : $ty:ty { $($variant:ident = $val:expr),* $(,)? }) => {
        $(#[$m])*
        #[repr(u32)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant = $val),* }

        impl $name {
            /// Every attribute, in id order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// Number of attributes (`ATTR_MAX` of the C API).
            pub const COUNT: usize = Self::ALL.len();

            /// The attribute with this numeric id, if there is one.
            pub fn from_id(id: $ty) -> Option<$name> {
                Self::ALL.get(usize::try_from(id).ok()?).copied()
            }

            /// The numeric id of the C API.
            pub fn id(self) -> $ty {
                self as $ty
            }
        }
    };
}

attrs! {
    /// Conntrack attribute ids: the numbers of `enum nf_conntrack_attr`.
    Attr: u32 {
        OrigIpv4Src = 0, OrigIpv4Dst = 1, ReplIpv4Src = 2, ReplIpv4Dst = 3,
        OrigIpv6Src = 4, OrigIpv6Dst = 5, ReplIpv6Src = 6, ReplIpv6Dst = 7,
        OrigPortSrc = 8, OrigPortDst = 9, ReplPortSrc = 10, ReplPortDst = 11,
        IcmpType = 12, IcmpCode = 13, IcmpId = 14, OrigL3Proto = 15,
        ReplL3Proto = 16, OrigL4Proto = 17, ReplL4Proto = 18, TcpState = 19,
        SnatIpv4 = 20, DnatIpv4 = 21, SnatPort = 22, DnatPort = 23,
        Timeout = 24, Mark = 25, OrigCounterPackets = 26, ReplCounterPackets = 27,
        OrigCounterBytes = 28, ReplCounterBytes = 29, Use = 30, Id = 31,
        Status = 32, TcpFlagsOrig = 33, TcpFlagsRepl = 34, TcpMaskOrig = 35,
        TcpMaskRepl = 36, MasterIpv4Src = 37, MasterIpv4Dst = 38, MasterIpv6Src = 39,
        MasterIpv6Dst = 40, MasterPortSrc = 41, MasterPortDst = 42, MasterL3Proto = 43,
        MasterL4Proto = 44, Secmark = 45, OrigNatSeqCorrectionPos = 46,
        OrigNatSeqOffsetBefore = 47, OrigNatSeqOffsetAfter = 48,
        ReplNatSeqCorrectionPos = 49, ReplNatSeqOffsetBefore = 50,
        ReplNatSeqOffsetAfter = 51, SctpState = 52, SctpVtagOrig = 53,
        SctpVtagRepl = 54, HelperName = 55, DccpState = 56, DccpRole = 57,
        DccpHandshakeSeq = 58, TcpWscaleOrig = 59, TcpWscaleRepl = 60, Zone = 61,
        Secctx = 62, TimestampStart = 63, TimestampStop = 64, HelperInfo = 65,
        Connlabels = 66, ConnlabelsMask = 67, OrigZone = 68, ReplZone = 69,
        SnatIpv6 = 70, DnatIpv6 = 71, SynproxyIsn = 72, SynproxyIts = 73,
        SynproxyTsoff = 74, TimestampEvent = 75,
    }
}

/// Direction index into per-direction arrays.
pub const DIR_ORIG: usize = 0;
/// Direction index into per-direction arrays.
pub const DIR_REPL: usize = 1;

/// An IPv4 or IPv6 address. IPv4 uses the first word only. The words hold
/// the address bytes in network order, exactly as `struct in6_addr`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Addr(pub [u32; 4]);

impl Addr {
    /// The IPv4 address word (network byte order in memory).
    pub fn v4(&self) -> u32 {
        self.0[0]
    }
    /// The address as 16 bytes (IPv6, or IPv4 in the first four).
    pub fn bytes(&self) -> [u8; 16] {
        let mut b = [0u8; 16];
        for (i, w) in self.0.iter().enumerate() {
            b[i * 4..i * 4 + 4].copy_from_slice(&w.to_ne_bytes());
        }
        b
    }
    /// Builds an address from 16 bytes in network order.
    pub fn from_bytes(b: [u8; 16]) -> Addr {
        let mut w = [0u32; 4];
        for (i, x) in w.iter_mut().enumerate() {
            *x = u32::from_ne_bytes([b[i * 4], b[i * 4 + 1], b[i * 4 + 2], b[i * 4 + 3]]);
        }
        Addr(w)
    }
}

/// The destination half of the layer-4 tuple: a port in network byte
/// order, or ICMP type (byte 0) and code (byte 1), sharing storage.
#[repr(C, align(2))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct L4Dst(pub [u8; 2]);

impl L4Dst {
    /// The port as stored (network byte order in memory).
    pub fn port(&self) -> u16 {
        u16::from_ne_bytes(self.0)
    }
    /// Stores a port given in network byte order.
    pub fn set_port(&mut self, port: u16) {
        self.0 = port.to_ne_bytes();
    }
    /// ICMP type.
    pub fn icmp_type(&self) -> u8 {
        self.0[0]
    }
    /// ICMP code.
    pub fn icmp_code(&self) -> u8 {
        self.0[1]
    }
}

/// One direction's tuple (upstream `struct __nfct_tuple`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Tuple {
    pub src: Addr,
    pub dst: Addr,
    pub l3protonum: u8,
    pub protonum: u8,
    /// Per-direction zone (host order).
    pub zone: u16,
    /// Source port or ICMP id, network byte order in memory.
    pub l4src: u16,
    pub l4dst: L4Dst,
}

/// Number of 32-bit words in the attribute-set bitmap.
pub const SET_WORDS: usize = 3;

/// The original tuple and the set of attributes that are set. It comes
/// first in a conntrack object, and expectations hold four of them: C
/// callers treat a pointer to one as a `struct nf_conntrack *` whose
/// original-tuple attributes they may read.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TupleHead {
    pub orig: Tuple,
    pub set: [u32; SET_WORDS],
}

impl TupleHead {
    /// Whether bit `bit` is set.
    pub fn test(&self, bit: u32) -> bool {
        let (w, b) = ((bit / 32) as usize, bit % 32);
        w < SET_WORDS && self.set[w] & (1 << b) != 0
    }
    /// Sets bit `bit`.
    pub fn mark(&mut self, bit: u32) {
        let (w, b) = ((bit / 32) as usize, bit % 32);
        if w < SET_WORDS {
            self.set[w] |= 1 << b;
        }
    }
    /// Clears bit `bit`.
    pub fn clear(&mut self, bit: u32) {
        let (w, b) = ((bit / 32) as usize, bit % 32);
        if w < SET_WORDS {
            self.set[w] &= !(1 << b);
        }
    }
}

/// The protocol-info union of upstream, as raw bytes so that TCP, SCTP
/// and DCCP views alias exactly as they do in C:
///
/// | bytes | TCP | SCTP | DCCP |
/// |---|---|---|---|
/// | 0 | state | state | state |
/// | 1..5 | flags/mask orig, flags/mask repl | | role (1) |
/// | 5..7 | wscale orig, repl | | |
/// | 4..12 | | vtag orig, repl (u32, host order) | |
/// | 8..16 | | | handshake seq (u64, host order) |
#[repr(C, align(8))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ProtoInfo(pub [u8; 16]);

/// Byte offsets inside [`ProtoInfo`].
pub mod protoinfo {
    pub const STATE: usize = 0;
    /// TCP flags value of direction `d` is at `TCP_FLAGS + 2 * d`, its mask one byte later.
    pub const TCP_FLAGS: usize = 1;
    /// TCP window scale of direction `d` is at `TCP_WSCALE + d`.
    pub const TCP_WSCALE: usize = 5;
    /// SCTP verification tag of direction `d` is at `SCTP_VTAG + 4 * d`.
    pub const SCTP_VTAG: usize = 4;
    pub const DCCP_ROLE: usize = 1;
    pub const DCCP_HANDSHAKE_SEQ: usize = 8;
}

impl ProtoInfo {
    /// Reads a host-order u32 at byte offset `off` (4-aligned).
    pub fn u32_at(&self, off: usize) -> u32 {
        let b = &self.0[off..off + 4];
        u32::from_ne_bytes([b[0], b[1], b[2], b[3]])
    }
    /// Writes a host-order u32 at byte offset `off`.
    pub fn set_u32_at(&mut self, off: usize, v: u32) {
        self.0[off..off + 4].copy_from_slice(&v.to_ne_bytes());
    }
    /// Reads the host-order u64 at byte offset `off` (8-aligned).
    pub fn u64_at(&self, off: usize) -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.0[off..off + 8]);
        u64::from_ne_bytes(b)
    }
    /// Writes a host-order u64 at byte offset `off`.
    pub fn set_u64_at(&mut self, off: usize, v: u64) {
        self.0[off..off + 8].copy_from_slice(&v.to_ne_bytes());
    }
}

/// Packet and byte counters of one direction.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Counters {
    pub packets: u64,
    pub bytes: u64,
}

/// A NAT range (upstream `struct __nfct_nat`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Nat {
    pub min_ip: Addr,
    pub max_ip: Addr,
    /// Ports in network byte order.
    pub l4min: u16,
    pub l4max: u16,
}

/// TCP sequence adjustment of one direction.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NatSeq {
    pub correction_pos: u32,
    pub offset_before: u32,
    pub offset_after: u32,
}

/// Start and stop timestamps, nanoseconds.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Timestamp {
    pub start: u64,
    pub stop: u64,
}

/// SYN proxy state.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Synproxy {
    pub isn: u32,
    pub its: u32,
    pub tsoff: u32,
}

/// A conntrack entry, set or unset attribute by attribute.
#[repr(C)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conntrack {
    pub head: TupleHead,
    pub repl: Tuple,
    pub master: Tuple,

    pub timeout: u32,
    pub mark: u32,
    pub secmark: u32,
    pub status: u32,
    pub use_: u32,
    pub id: u32,
    pub zone: u16,

    /// NUL-terminated helper name.
    pub helper_name: [u8; HELPER_NAME_MAX],
    /// Security context, stored with its terminating NUL.
    pub secctx: Option<Box<[u8]>>,

    pub protoinfo: ProtoInfo,
    pub counters: [Counters; 2],
    pub snat: Nat,
    pub dnat: Nat,
    pub natseq: [NatSeq; 2],
    pub timestamp: Timestamp,
    pub synproxy: Synproxy,

    /// Helper private data: the buffer as last stored, by the parser or by
    /// `nfct_set_attr_l`.
    pub helper_info: Option<Box<[u8]>>,
    /// The helper-info length upstream keeps beside the buffer. Only the
    /// parser sets it, so info stored through the API is sent and copied
    /// with the length of the last parsed info (0 if none), as upstream
    /// does. See [`Conntrack::helper_info_sent`].
    pub helper_info_len: usize,
    pub connlabels: Option<Box<Bitmask>>,
    pub connlabels_mask: Option<Box<Bitmask>>,
    pub timestamp_event: u64,
}

impl Conntrack {
    /// An empty object: no attribute set.
    pub fn new() -> Conntrack {
        Conntrack::default()
    }

    /// Whether `attr` is set.
    pub fn is_set(&self, attr: Attr) -> bool {
        self.head.test(attr.id())
    }

    /// Marks `attr` as set (storage is written by the caller).
    pub fn mark_set(&mut self, attr: Attr) {
        self.head.mark(attr.id())
    }

    /// Marks `attr` as unset; the stored value stays, as upstream.
    pub fn mark_unset(&mut self, attr: Attr) {
        self.head.clear(attr.id())
    }

    /// The helper info as upstream sends and copies it: `helper_info_len`
    /// bytes of the buffer. Where the recorded length runs past the buffer
    /// (upstream would read past its allocation) the rest reads as zeros.
    pub fn helper_info_sent(&self) -> Option<Cow<'_, [u8]>> {
        let buf = self.helper_info.as_deref()?;
        Some(match buf.get(..self.helper_info_len) {
            Some(b) => Cow::Borrowed(b),
            None => {
                let mut v = buf.to_vec();
                v.resize(self.helper_info_len, 0);
                Cow::Owned(v)
            }
        })
    }

    /// The tuple of direction `DIR_ORIG`, `DIR_REPL`, or 2 for the master.
    pub fn tuple(&self, dir: usize) -> &Tuple {
        match dir {
            DIR_ORIG => &self.head.orig,
            DIR_REPL => &self.repl,
            _ => &self.master,
        }
    }

    /// Mutable tuple of direction `DIR_ORIG`, `DIR_REPL`, or 2 for the master.
    pub fn tuple_mut(&mut self, dir: usize) -> &mut Tuple {
        match dir {
            DIR_ORIG => &mut self.head.orig,
            DIR_REPL => &mut self.repl,
            _ => &mut self.master,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attr_ids_are_dense() {
        assert_eq!(Attr::COUNT, 76);
        for (i, a) in Attr::ALL.iter().enumerate() {
            assert_eq!(a.id() as usize, i);
            assert_eq!(Attr::from_id(i as u32), Some(*a));
        }
        assert_eq!(Attr::from_id(76), None);
        assert_eq!(Attr::from_id(u32::MAX), None);
        const { assert!(Attr::COUNT <= SET_WORDS * 32) };
    }

    #[test]
    fn protoinfo_views_alias_like_upstream() {
        let mut p = ProtoInfo::default();
        p.set_u32_at(protoinfo::SCTP_VTAG, 0x0102_0304);
        // TCP's reply mask and window scales live in the SCTP orig vtag.
        assert_eq!(p.0[4..8], 0x0102_0304u32.to_ne_bytes());
        p.set_u64_at(protoinfo::DCCP_HANDSHAKE_SEQ, u64::MAX);
        assert_eq!(p.u32_at(protoinfo::SCTP_VTAG + 4), u32::MAX);
    }
}
