//! The typed conntrack entry of the Rust API, [`Flow`], and its parts:
//! tuples with [`IpAddr`] addresses and host-order ports, the protocol and
//! its state as enums, the status as bitflags, counters, timestamps,
//! labels, NAT and helper. [`FlowBuilder`] makes flows to create or update.
//!
//! A flow converts to and from the core object
//! [`crate::conntrack::Conntrack`], the object the C API hands out; every
//! optional field stands for an attribute that is set or not.
#![forbid(unsafe_code)]

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use bitflags::bitflags;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::conntrack::object::{protoinfo as pi, Addr, Attr, Conntrack, DIR_ORIG, DIR_REPL};
use crate::conntrack::object::{Tuple as CoreTuple, HELPER_NAME_MAX};
use crate::kernel::{
    AF_INET, AF_INET6, IPPROTO_DCCP, IPPROTO_GRE, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP,
    IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE,
};
use crate::labels::Bitmask;
use crate::Error as CoreError;

/// A layer-4 protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Protocol {
    /// TCP (6).
    Tcp,
    /// UDP (17).
    Udp,
    /// UDP-Lite (136).
    UdpLite,
    /// SCTP (132).
    Sctp,
    /// DCCP (33).
    Dccp,
    /// GRE (47); its keys are the tuple's ports.
    Gre,
    /// ICMP (1).
    Icmp,
    /// ICMPv6 (58).
    IcmpV6,
    /// Any other IP protocol number.
    Other(u8),
}

impl Protocol {
    /// The IP protocol number (`IPPROTO_*`).
    pub fn number(self) -> u8 {
        match self {
            Protocol::Tcp => IPPROTO_TCP,
            Protocol::Udp => IPPROTO_UDP,
            Protocol::UdpLite => IPPROTO_UDPLITE,
            Protocol::Sctp => IPPROTO_SCTP,
            Protocol::Dccp => IPPROTO_DCCP,
            Protocol::Gre => IPPROTO_GRE,
            Protocol::Icmp => IPPROTO_ICMP,
            Protocol::IcmpV6 => IPPROTO_ICMPV6,
            Protocol::Other(n) => n,
        }
    }

    /// The protocol with IP protocol number `n`.
    pub fn from_number(n: u8) -> Protocol {
        match n {
            IPPROTO_TCP => Protocol::Tcp,
            IPPROTO_UDP => Protocol::Udp,
            IPPROTO_UDPLITE => Protocol::UdpLite,
            IPPROTO_SCTP => Protocol::Sctp,
            IPPROTO_DCCP => Protocol::Dccp,
            IPPROTO_GRE => Protocol::Gre,
            IPPROTO_ICMP => Protocol::Icmp,
            IPPROTO_ICMPV6 => Protocol::IcmpV6,
            n => Protocol::Other(n),
        }
    }

    /// Whether tuples of this protocol carry source and destination ports
    /// (GRE's keys count as ports, as in ctnetlink).
    pub fn has_ports(self) -> bool {
        matches!(
            self,
            Protocol::Tcp
                | Protocol::Udp
                | Protocol::UdpLite
                | Protocol::Sctp
                | Protocol::Dccp
                | Protocol::Gre
        )
    }

    /// Whether tuples of this protocol carry ICMP type, code and id.
    pub fn is_icmp(self) -> bool {
        matches!(self, Protocol::Icmp | Protocol::IcmpV6)
    }
}

/// The layer-4 part of a tuple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum L4 {
    /// No layer-4 fields (or a protocol ctnetlink has none for).
    #[default]
    None,
    /// Source and destination port, host byte order.
    Ports {
        /// Source port.
        src: u16,
        /// Destination port.
        dst: u16,
    },
    /// ICMP or ICMPv6 type, code and identifier (host byte order).
    Icmp {
        /// Message type.
        kind: u8,
        /// Message code.
        code: u8,
        /// Identifier.
        id: u16,
    },
}

/// One direction of a connection: addresses, protocol and its layer-4
/// fields, and the direction's zone when it has one.
///
/// ```
/// use netfilter_conntrack::ctnetlink::{Protocol, Tuple, L4};
///
/// let t = Tuple::new(Protocol::Tcp, "192.0.2.1:40000".parse()?, "192.0.2.2:80".parse()?);
/// assert_eq!(t.l4, L4::Ports { src: 40000, dst: 80 });
/// assert_eq!(t.reversed().src, "192.0.2.2".parse::<std::net::IpAddr>()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Tuple {
    /// Source address.
    pub src: IpAddr,
    /// Destination address.
    pub dst: IpAddr,
    /// Layer-4 protocol.
    pub protocol: Protocol,
    /// Ports or ICMP fields.
    pub l4: L4,
    /// The zone of this direction (`CTA_TUPLE_ZONE`), if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub zone: Option<u16>,
}

impl Tuple {
    /// A tuple between two socket addresses; ports are kept for protocols
    /// that have them.
    pub fn new(protocol: Protocol, src: SocketAddr, dst: SocketAddr) -> Tuple {
        let l4 = if protocol.has_ports() {
            L4::Ports {
                src: src.port(),
                dst: dst.port(),
            }
        } else {
            L4::None
        };
        Tuple {
            src: src.ip(),
            dst: dst.ip(),
            protocol,
            l4,
            zone: None,
        }
    }

    /// A tuple between two addresses without layer-4 fields.
    pub fn addresses(protocol: Protocol, src: IpAddr, dst: IpAddr) -> Tuple {
        Tuple {
            src,
            dst,
            protocol,
            l4: L4::None,
            zone: None,
        }
    }

    /// An ICMP (IPv4 addresses) or ICMPv6 (IPv6 addresses) tuple.
    pub fn icmp(src: IpAddr, dst: IpAddr, kind: u8, code: u8, id: u16) -> Tuple {
        let protocol = if src.is_ipv4() {
            Protocol::Icmp
        } else {
            Protocol::IcmpV6
        };
        Tuple {
            src,
            dst,
            protocol,
            l4: L4::Icmp { kind, code, id },
            zone: None,
        }
    }

    /// The same tuple in this zone.
    pub fn with_zone(mut self, zone: u16) -> Tuple {
        self.zone = Some(zone);
        self
    }

    /// The tuple seen from the other end: addresses and ports swapped; an
    /// ICMP request type becomes its reply type (echo request 8 becomes
    /// echo reply 0, ICMPv6 128 becomes 129, and back), other ICMP fields
    /// stay.
    pub fn reversed(&self) -> Tuple {
        let l4 = match self.l4 {
            L4::Ports { src, dst } => L4::Ports { src: dst, dst: src },
            L4::Icmp { kind, code, id } => L4::Icmp {
                kind: icmp_reply_type(self.protocol, kind),
                code,
                id,
            },
            L4::None => L4::None,
        };
        Tuple {
            src: self.dst,
            dst: self.src,
            protocol: self.protocol,
            l4,
            zone: self.zone,
        }
    }

    /// The source and destination ports, if the tuple has ports.
    pub fn ports(&self) -> Option<(u16, u16)> {
        match self.l4 {
            L4::Ports { src, dst } => Some((src, dst)),
            _ => None,
        }
    }

    /// The address family (`AF_INET` or `AF_INET6`) of the source address.
    pub fn family(&self) -> u8 {
        if self.src.is_ipv4() {
            AF_INET
        } else {
            AF_INET6
        }
    }
}

/// The type answering ICMP (or ICMPv6) message type `kind`, or `kind`
/// itself where there is no pair.
fn icmp_reply_type(protocol: Protocol, kind: u8) -> u8 {
    let pairs: &[(u8, u8)] = match protocol {
        Protocol::Icmp => &[(8, 0), (13, 14), (15, 16), (17, 18)],
        Protocol::IcmpV6 => &[(128, 129), (139, 140)],
        _ => &[],
    };
    for &(a, b) in pairs {
        if kind == a {
            return b;
        }
        if kind == b {
            return a;
        }
    }
    kind
}

/// Declares a protocol state enum with an `Other` catch-all, its kernel
/// numbers and the names the kernel and `nfct_snprintf` use.
macro_rules! states {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $num:expr => $text:expr),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
        pub enum $name {
            $(#[doc = concat!("`", $text, "` (", stringify!($num), ").")] $variant,)*
            /// A state number this library does not name.
            Other(u8),
        }

        impl $name {
            /// The kernel's number for this state.
            pub fn number(self) -> u8 {
                match self {
                    $($name::$variant => $num,)*
                    $name::Other(n) => n,
                }
            }

            /// The state with kernel number `n`.
            pub fn from_number(n: u8) -> $name {
                match n {
                    $($num => $name::$variant,)*
                    n => $name::Other(n),
                }
            }

            /// The state's name, as `nfct_snprintf` prints it.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(_) => "UNKNOWN",
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

states! {
    /// TCP connection states (`enum tcp_conntrack`).
    TcpState {
        None = 0 => "NONE",
        SynSent = 1 => "SYN_SENT",
        SynRecv = 2 => "SYN_RECV",
        Established = 3 => "ESTABLISHED",
        FinWait = 4 => "FIN_WAIT",
        CloseWait = 5 => "CLOSE_WAIT",
        LastAck = 6 => "LAST_ACK",
        TimeWait = 7 => "TIME_WAIT",
        Close = 8 => "CLOSE",
        SynSent2 = 9 => "SYN_SENT2",
    }
}

states! {
    /// SCTP association states (`enum sctp_conntrack`).
    SctpState {
        None = 0 => "NONE",
        Closed = 1 => "CLOSED",
        CookieWait = 2 => "COOKIE_WAIT",
        CookieEchoed = 3 => "COOKIE_ECHOED",
        Established = 4 => "ESTABLISHED",
        ShutdownSent = 5 => "SHUTDOWN_SENT",
        ShutdownRecd = 6 => "SHUTDOWN_RECD",
        ShutdownAckSent = 7 => "SHUTDOWN_ACK_SENT",
        HeartbeatSent = 8 => "HEARTBEAT_SENT",
        HeartbeatAcked = 9 => "HEARTBEAT_ACKED",
    }
}

states! {
    /// DCCP connection states (`enum ct_dccp_states`).
    DccpState {
        None = 0 => "NONE",
        Request = 1 => "REQUEST",
        Respond = 2 => "RESPOND",
        PartOpen = 3 => "PARTOPEN",
        Open = 4 => "OPEN",
        CloseReq = 5 => "CLOSEREQ",
        Closing = 6 => "CLOSING",
        TimeWait = 7 => "TIMEWAIT",
        Ignore = 8 => "IGNORE",
        Invalid = 9 => "INVALID",
    }
}

/// TCP window-tracking flags and the mask saying which of them to change
/// (`struct nf_ct_tcp_flags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct FlagsMask {
    /// The flags (`IP_CT_TCP_FLAG_*`).
    pub flags: u8,
    /// Which flags to change.
    pub mask: u8,
}

/// TCP protocol information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct TcpInfo {
    /// Connection state.
    pub state: TcpState,
    /// Window scale of the original direction.
    pub wscale_orig: Option<u8>,
    /// Window scale of the reply direction.
    pub wscale_reply: Option<u8>,
    /// Window-tracking flags of the original direction.
    pub flags_orig: Option<FlagsMask>,
    /// Window-tracking flags of the reply direction.
    pub flags_reply: Option<FlagsMask>,
}

/// SCTP protocol information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct SctpInfo {
    /// Association state.
    pub state: SctpState,
    /// Verification tag of the original direction.
    pub vtag_orig: Option<u32>,
    /// Verification tag of the reply direction.
    pub vtag_reply: Option<u32>,
}

/// DCCP protocol information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct DccpInfo {
    /// Connection state.
    pub state: DccpState,
    /// Role of the original direction (0 client, 1 server).
    pub role: Option<u8>,
    /// Handshake sequence number.
    pub handshake_seq: Option<u64>,
}

/// Protocol information (`CTA_PROTOINFO`): the protocol's state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum ProtoInfo {
    /// TCP's state and window tracking.
    Tcp(TcpInfo),
    /// SCTP's state and verification tags.
    Sctp(SctpInfo),
    /// DCCP's state, role and handshake sequence.
    Dccp(DccpInfo),
}

impl ProtoInfo {
    /// TCP information with only the state.
    pub fn tcp(state: TcpState) -> ProtoInfo {
        ProtoInfo::Tcp(TcpInfo {
            state,
            wscale_orig: None,
            wscale_reply: None,
            flags_orig: None,
            flags_reply: None,
        })
    }
}

bitflags! {
    /// Connection status bits (`enum ip_conntrack_status`). Bits this
    /// library does not name are kept.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    #[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
    #[cfg_attr(feature = "serde", serde(transparent))]
    pub struct Status: u32 {
        /// An expected connection (`IPS_EXPECTED`).
        const EXPECTED = 1 << 0;
        /// Packets went both ways (`IPS_SEEN_REPLY`).
        const SEEN_REPLY = 1 << 1;
        /// Never to be dropped early (`IPS_ASSURED`).
        const ASSURED = 1 << 2;
        /// In the table (`IPS_CONFIRMED`).
        const CONFIRMED = 1 << 3;
        /// Source NAT is needed (`IPS_SRC_NAT`).
        const SRC_NAT = 1 << 4;
        /// Destination NAT is needed (`IPS_DST_NAT`).
        const DST_NAT = 1 << 5;
        /// TCP sequence numbers are adjusted (`IPS_SEQ_ADJUST`).
        const SEQ_ADJUST = 1 << 6;
        /// Source NAT is set up (`IPS_SRC_NAT_DONE`).
        const SRC_NAT_DONE = 1 << 7;
        /// Destination NAT is set up (`IPS_DST_NAT_DONE`).
        const DST_NAT_DONE = 1 << 8;
        /// Being removed (`IPS_DYING`).
        const DYING = 1 << 9;
        /// The timeout is not refreshed (`IPS_FIXED_TIMEOUT`).
        const FIXED_TIMEOUT = 1 << 10;
        /// A template, not a connection (`IPS_TEMPLATE`).
        const TEMPLATE = 1 << 11;
        /// Resolved a NAT clash (`IPS_NAT_CLASH`, formerly untracked).
        const NAT_CLASH = 1 << 12;
        /// A helper was attached by the CT target (`IPS_HELPER`).
        const HELPER = 1 << 13;
        /// Offloaded to the flow table (`IPS_OFFLOAD`).
        const OFFLOAD = 1 << 14;
        /// Offloaded to hardware (`IPS_HW_OFFLOAD`).
        const HW_OFFLOAD = 1 << 15;
        const _ = !0;
    }
}

/// Packet and byte counters of one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Counter {
    /// Packets.
    pub packets: u64,
    /// Bytes.
    pub bytes: u64,
}

/// Counters of both directions (present when accounting is on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Counters {
    /// The original direction.
    pub orig: Counter,
    /// The reply direction.
    pub reply: Counter,
}

/// Start and stop time, nanoseconds since the epoch (present when
/// conntrack timestamping is on; `stop` once the flow is gone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Timestamp {
    /// When the connection started.
    pub start: u64,
    /// When it ended.
    pub stop: Option<u64>,
}

/// Connection labels: the kernel's 128 label bits.
///
/// ```
/// use netfilter_conntrack::ctnetlink::Labels;
/// let l = Labels::default().with(3).with(127);
/// assert!(l.contains(3) && !l.contains(4));
/// assert_eq!(l.iter().collect::<Vec<_>>(), vec![3, 127]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Labels(pub u128);

impl Labels {
    /// Most label bits the kernel keeps.
    pub const BITS: u32 = 128;

    /// Whether label `bit` is set (false for bits past 127).
    pub fn contains(&self, bit: u32) -> bool {
        bit < Self::BITS && self.0 & (1u128 << bit) != 0
    }

    /// Sets label `bit`; bits past 127 are ignored.
    pub fn insert(&mut self, bit: u32) {
        if bit < Self::BITS {
            self.0 |= 1u128 << bit;
        }
    }

    /// These labels and `bit`.
    pub fn with(mut self, bit: u32) -> Labels {
        self.insert(bit);
        self
    }

    /// The set bits, lowest first.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..Self::BITS).filter(|b| self.contains(*b))
    }

    fn to_bitmask(self) -> Bitmask {
        let mut m = Bitmask::new(Self::BITS - 1);
        for b in self.iter() {
            m.set(b);
        }
        m
    }

    fn from_bitmask(m: &Bitmask) -> Labels {
        let mut l = Labels::default();
        for (i, w) in m.words.iter().take(4).enumerate() {
            l.0 |= u128::from(*w) << (32 * i);
        }
        l
    }
}

/// A NAT manipulation asked for when creating a flow: the address (and
/// port) the source or destination is rewritten to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Nat {
    /// The new address.
    pub addr: IpAddr,
    /// The new port, host byte order.
    pub port: Option<u16>,
}

/// A conntrack entry.
///
/// Optional fields are attributes that are present or not: in a flow read
/// from the kernel, what the kernel reported; in a flow sent to it, what is
/// sent. Build flows with [`Flow::builder`] (create) or [`Flow::update`];
/// print them with `Display`, in the text of `nfct_snprintf`.
///
/// ```
/// use netfilter_conntrack::ctnetlink::{Flow, Protocol, TcpState, Tuple};
///
/// let flow = Flow::builder(Tuple::new(
///     Protocol::Tcp,
///     "192.0.2.1:40000".parse()?,
///     "192.0.2.2:80".parse()?,
/// ))
/// .tcp_state(TcpState::Established)
/// .timeout(120)
/// .mark(7)
/// .build();
/// assert_eq!(
///     flow.to_string(),
///     "tcp      6 120 ESTABLISHED src=192.0.2.1 dst=192.0.2.2 sport=40000 dport=80 \
///      src=192.0.2.2 dst=192.0.2.1 sport=80 dport=40000 mark=7"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[non_exhaustive]
pub struct Flow {
    /// The original direction.
    pub orig: Tuple,
    /// The reply direction.
    pub reply: Option<Tuple>,
    /// The master connection of an expected (related) flow.
    pub master: Option<Tuple>,
    /// The protocol's state.
    pub proto_info: Option<ProtoInfo>,
    /// Status bits.
    pub status: Option<Status>,
    /// Seconds until the entry expires.
    pub timeout: Option<u32>,
    /// The connection mark.
    pub mark: Option<u32>,
    /// The security mark.
    pub secmark: Option<u32>,
    /// The zone of the entry (`CTA_ZONE`).
    pub zone: Option<u16>,
    /// The kernel's id of the entry.
    pub id: Option<u32>,
    /// Reference count (`CTA_USE`).
    pub use_count: Option<u32>,
    /// Packet and byte counters.
    pub counters: Option<Counters>,
    /// Start and stop time.
    pub timestamp: Option<Timestamp>,
    /// Connection labels.
    pub labels: Option<Labels>,
    /// Which labels an update changes; without it an update replaces all.
    pub labels_mask: Option<Labels>,
    /// Source NAT to set up on creation.
    pub snat: Option<Nat>,
    /// Destination NAT to set up on creation.
    pub dnat: Option<Nat>,
    /// Name of the helper attached to the flow.
    pub helper: Option<String>,
    /// Security context.
    pub secctx: Option<String>,
}

impl Flow {
    /// A flow with only its original tuple.
    pub fn new(orig: Tuple) -> Flow {
        Flow {
            orig,
            reply: None,
            master: None,
            proto_info: None,
            status: None,
            timeout: None,
            mark: None,
            secmark: None,
            zone: None,
            id: None,
            use_count: None,
            counters: None,
            timestamp: None,
            labels: None,
            labels_mask: None,
            snat: None,
            dnat: None,
            helper: None,
            secctx: None,
        }
    }

    /// Starts a flow to create. Unless [`FlowBuilder::reply`] says
    /// otherwise, the reply tuple is the original one reversed (the kernel
    /// requires both to create an entry).
    pub fn builder(orig: Tuple) -> FlowBuilder {
        FlowBuilder {
            flow: Flow::new(orig),
            auto_reply: true,
        }
    }

    /// Starts an update of the entry with original tuple `orig`: only what
    /// is set on the builder is sent.
    pub fn update(orig: Tuple) -> FlowBuilder {
        FlowBuilder {
            flow: Flow::new(orig),
            auto_reply: false,
        }
    }

    /// The TCP state, if this is a TCP flow with protocol information.
    pub fn tcp_state(&self) -> Option<TcpState> {
        match self.proto_info {
            Some(ProtoInfo::Tcp(t)) => Some(t.state),
            _ => None,
        }
    }

    /// The core object with the attributes of this flow set.
    pub fn to_conntrack(&self) -> Conntrack {
        Conntrack::from(self)
    }
}

/// Builds a [`Flow`]; see [`Flow::builder`] and [`Flow::update`].
#[derive(Debug, Clone)]
#[must_use]
pub struct FlowBuilder {
    flow: Flow,
    auto_reply: bool,
}

impl FlowBuilder {
    /// Sets the reply tuple.
    pub fn reply(mut self, reply: Tuple) -> Self {
        self.flow.reply = Some(reply);
        self
    }
    /// Sets the protocol information.
    pub fn proto_info(mut self, info: ProtoInfo) -> Self {
        self.flow.proto_info = Some(info);
        self
    }
    /// Sets the TCP state (protocol information with only the state).
    pub fn tcp_state(self, state: TcpState) -> Self {
        self.proto_info(ProtoInfo::tcp(state))
    }
    /// Sets the status bits.
    pub fn status(mut self, status: Status) -> Self {
        self.flow.status = Some(status);
        self
    }
    /// Sets the timeout, seconds.
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.flow.timeout = Some(seconds);
        self
    }
    /// Sets the mark.
    pub fn mark(mut self, mark: u32) -> Self {
        self.flow.mark = Some(mark);
        self
    }
    /// Sets the zone.
    pub fn zone(mut self, zone: u16) -> Self {
        self.flow.zone = Some(zone);
        self
    }
    /// Sets the labels; with [`FlowBuilder::labels_mask`] an update only
    /// changes the masked bits.
    pub fn labels(mut self, labels: Labels) -> Self {
        self.flow.labels = Some(labels);
        self
    }
    /// Sets the label mask of an update.
    pub fn labels_mask(mut self, mask: Labels) -> Self {
        self.flow.labels_mask = Some(mask);
        self
    }
    /// Sets source NAT.
    pub fn snat(mut self, addr: IpAddr, port: Option<u16>) -> Self {
        self.flow.snat = Some(Nat { addr, port });
        self
    }
    /// Sets destination NAT.
    pub fn dnat(mut self, addr: IpAddr, port: Option<u16>) -> Self {
        self.flow.dnat = Some(Nat { addr, port });
        self
    }
    /// Attaches the helper `name` (for example `"ftp"`).
    pub fn helper(mut self, name: &str) -> Self {
        self.flow.helper = Some(name.to_owned());
        self
    }
    /// Sets the secmark.
    pub fn secmark(mut self, secmark: u32) -> Self {
        self.flow.secmark = Some(secmark);
        self
    }
    /// The flow.
    pub fn build(self) -> Flow {
        let mut flow = self.flow;
        if self.auto_reply && flow.reply.is_none() {
            flow.reply = Some(flow.orig.reversed());
        }
        flow
    }
}

/// The attribute ids of one tuple's fields.
struct TupleAttrs {
    l3: Attr,
    v4: [Attr; 2],
    v6: [Attr; 2],
    l4: Attr,
    ports: [Attr; 2],
    zone: Option<Attr>,
}

const ORIG: TupleAttrs = TupleAttrs {
    l3: Attr::OrigL3Proto,
    v4: [Attr::OrigIpv4Src, Attr::OrigIpv4Dst],
    v6: [Attr::OrigIpv6Src, Attr::OrigIpv6Dst],
    l4: Attr::OrigL4Proto,
    ports: [Attr::OrigPortSrc, Attr::OrigPortDst],
    zone: Some(Attr::OrigZone),
};
const REPL: TupleAttrs = TupleAttrs {
    l3: Attr::ReplL3Proto,
    v4: [Attr::ReplIpv4Src, Attr::ReplIpv4Dst],
    v6: [Attr::ReplIpv6Src, Attr::ReplIpv6Dst],
    l4: Attr::ReplL4Proto,
    ports: [Attr::ReplPortSrc, Attr::ReplPortDst],
    zone: Some(Attr::ReplZone),
};
const MASTER: TupleAttrs = TupleAttrs {
    l3: Attr::MasterL3Proto,
    v4: [Attr::MasterIpv4Src, Attr::MasterIpv4Dst],
    v6: [Attr::MasterIpv6Src, Attr::MasterIpv6Dst],
    l4: Attr::MasterL4Proto,
    ports: [Attr::MasterPortSrc, Attr::MasterPortDst],
    zone: None,
};

/// The core's setters only fail for label attributes given as bytes,
/// which this module never does.
fn set(r: crate::Result<()>) {
    debug_assert!(r.is_ok());
}

fn ip_bytes(a: IpAddr) -> Vec<u8> {
    match a {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

fn put_addr(ct: &mut Conntrack, v4: Attr, v6: Attr, a: IpAddr) {
    let attr = if a.is_ipv4() { v4 } else { v6 };
    set(ct.set_bytes(attr, &ip_bytes(a)));
}

/// Stores `t` in `ct` through the attributes of `which`. ICMP fields go
/// through the shared ICMP attributes (original tuple) or straight into
/// the reply tuple's storage.
fn put_tuple(ct: &mut Conntrack, t: &Tuple, which: &TupleAttrs, dir: usize) {
    set(ct.set_u8(which.l3, t.family()));
    put_addr(ct, which.v4[0], which.v6[0], t.src);
    put_addr(ct, which.v4[1], which.v6[1], t.dst);
    set(ct.set_u8(which.l4, t.protocol.number()));
    match t.l4 {
        L4::Ports { src, dst } => {
            set(ct.set_u16(which.ports[0], src.to_be()));
            set(ct.set_u16(which.ports[1], dst.to_be()));
        }
        L4::Icmp { kind, code, id } if dir == DIR_ORIG => {
            set(ct.set_u8(Attr::IcmpType, kind));
            set(ct.set_u8(Attr::IcmpCode, code));
            set(ct.set_u16(Attr::IcmpId, id.to_be()));
        }
        L4::Icmp { kind, code, id } => {
            let tuple = ct.tuple_mut(dir);
            tuple.l4dst.0 = [kind, code];
            tuple.l4src = id.to_be();
        }
        L4::None => {}
    }
    if let (Some(z), Some(attr)) = (t.zone, which.zone) {
        set(ct.set_u16(attr, z));
    }
}

fn core_ip(a: &Addr, family: u8) -> IpAddr {
    let b = a.bytes();
    if family == AF_INET6 {
        IpAddr::V6(Ipv6Addr::from(b))
    } else {
        IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
    }
}

/// Reads a core tuple; `zone` is its zone if the attribute is set.
pub(crate) fn tuple_from_core(t: &CoreTuple, family: u8, zone: Option<u16>) -> Tuple {
    let protocol = Protocol::from_number(t.protonum);
    let l4 = if protocol.has_ports() {
        L4::Ports {
            src: u16::from_be(t.l4src),
            dst: u16::from_be(t.l4dst.port()),
        }
    } else if protocol.is_icmp() {
        L4::Icmp {
            kind: t.l4dst.icmp_type(),
            code: t.l4dst.icmp_code(),
            id: u16::from_be(t.l4src),
        }
    } else {
        L4::None
    };
    Tuple {
        src: core_ip(&t.src, family),
        dst: core_ip(&t.dst, family),
        protocol,
        l4,
        zone,
    }
}

/// A core object holding `t` as its original tuple, for the expectation
/// tuples and dump filters.
pub(crate) fn tuple_to_core(t: &Tuple) -> Conntrack {
    let mut ct = Conntrack::new();
    put_tuple(&mut ct, t, &ORIG, DIR_ORIG);
    ct
}

fn cstr(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

fn put_nat(ct: &mut Conntrack, nat: &Nat, v4: Attr, v6: Attr, port: Attr) {
    put_addr(ct, v4, v6, nat.addr);
    if let Some(p) = nat.port {
        set(ct.set_u16(port, p.to_be()));
    }
}

impl From<&Flow> for Conntrack {
    fn from(f: &Flow) -> Conntrack {
        let mut ct = Conntrack::new();
        put_tuple(&mut ct, &f.orig, &ORIG, DIR_ORIG);
        if let Some(r) = &f.reply {
            put_tuple(&mut ct, r, &REPL, DIR_REPL);
        }
        if let Some(m) = &f.master {
            put_tuple(&mut ct, m, &MASTER, 2);
        }
        match f.proto_info {
            Some(ProtoInfo::Tcp(t)) => {
                set(ct.set_u8(Attr::TcpState, t.state.number()));
                if let Some(w) = t.wscale_orig {
                    set(ct.set_u8(Attr::TcpWscaleOrig, w));
                }
                if let Some(w) = t.wscale_reply {
                    set(ct.set_u8(Attr::TcpWscaleRepl, w));
                }
                if let Some(fm) = t.flags_orig {
                    set(ct.set_u8(Attr::TcpFlagsOrig, fm.flags));
                    set(ct.set_u8(Attr::TcpMaskOrig, fm.mask));
                }
                if let Some(fm) = t.flags_reply {
                    set(ct.set_u8(Attr::TcpFlagsRepl, fm.flags));
                    set(ct.set_u8(Attr::TcpMaskRepl, fm.mask));
                }
            }
            Some(ProtoInfo::Sctp(s)) => {
                set(ct.set_u8(Attr::SctpState, s.state.number()));
                if let Some(v) = s.vtag_orig {
                    set(ct.set_u32(Attr::SctpVtagOrig, v));
                }
                if let Some(v) = s.vtag_reply {
                    set(ct.set_u32(Attr::SctpVtagRepl, v));
                }
            }
            Some(ProtoInfo::Dccp(d)) => {
                set(ct.set_u8(Attr::DccpState, d.state.number()));
                if let Some(r) = d.role {
                    set(ct.set_u8(Attr::DccpRole, r));
                }
                if let Some(s) = d.handshake_seq {
                    set(ct.set_u64(Attr::DccpHandshakeSeq, s));
                }
            }
            None => {}
        }
        let u32s = [
            (Attr::Status, f.status.map(|s| s.bits())),
            (Attr::Timeout, f.timeout),
            (Attr::Mark, f.mark),
            (Attr::Secmark, f.secmark),
            (Attr::Id, f.id),
        ];
        for (attr, v) in u32s {
            if let Some(v) = v {
                set(ct.set_u32(attr, v));
            }
        }
        if let Some(z) = f.zone {
            set(ct.set_u16(Attr::Zone, z));
        }
        // Values only the kernel reports: stored and marked as the parser
        // does, so that they print and convert back.
        if let Some(u) = f.use_count {
            ct.use_ = u;
            ct.mark_set(Attr::Use);
        }
        if let Some(c) = f.counters {
            ct.counters[DIR_ORIG] = crate::conntrack::object::Counters {
                packets: c.orig.packets,
                bytes: c.orig.bytes,
            };
            ct.counters[DIR_REPL] = crate::conntrack::object::Counters {
                packets: c.reply.packets,
                bytes: c.reply.bytes,
            };
            for a in [
                Attr::OrigCounterPackets,
                Attr::OrigCounterBytes,
                Attr::ReplCounterPackets,
                Attr::ReplCounterBytes,
            ] {
                ct.mark_set(a);
            }
        }
        if let Some(t) = f.timestamp {
            ct.timestamp.start = t.start;
            ct.mark_set(Attr::TimestampStart);
            if let Some(stop) = t.stop {
                ct.timestamp.stop = stop;
                ct.mark_set(Attr::TimestampStop);
            }
        }
        if let Some(s) = &f.secctx {
            let mut b = s.as_bytes().to_vec();
            b.push(0);
            ct.secctx = Some(b.into_boxed_slice());
            ct.mark_set(Attr::Secctx);
        }
        if let Some(l) = f.labels {
            set(ct.set_bitmask(Attr::Connlabels, Box::new(l.to_bitmask())));
        }
        if let Some(l) = f.labels_mask {
            set(ct.set_bitmask(Attr::ConnlabelsMask, Box::new(l.to_bitmask())));
        }
        if let Some(n) = &f.snat {
            put_nat(&mut ct, n, Attr::SnatIpv4, Attr::SnatIpv6, Attr::SnatPort);
        }
        if let Some(n) = &f.dnat {
            put_nat(&mut ct, n, Attr::DnatIpv4, Attr::DnatIpv6, Attr::DnatPort);
        }
        if let Some(h) = &f.helper {
            let mut name = h.as_bytes().to_vec();
            name.truncate(HELPER_NAME_MAX - 1);
            name.push(0);
            set(ct.set_bytes(Attr::HelperName, &name));
        }
        ct
    }
}

impl From<Flow> for Conntrack {
    fn from(f: Flow) -> Conntrack {
        Conntrack::from(&f)
    }
}

fn opt<T>(ct: &Conntrack, attr: Attr, v: T) -> Option<T> {
    ct.is_set(attr).then_some(v)
}

fn read_nat(ct: &Conntrack, nat: &crate::conntrack::object::Nat, a: [Attr; 3]) -> Option<Nat> {
    let addr = if ct.is_set(a[0]) {
        core_ip(&nat.min_ip, AF_INET)
    } else if ct.is_set(a[1]) {
        core_ip(&nat.min_ip, AF_INET6)
    } else {
        return None;
    };
    Some(Nat {
        addr,
        port: opt(ct, a[2], u16::from_be(nat.l4min)),
    })
}

impl TryFrom<&Conntrack> for Flow {
    type Error = CoreError;

    /// Reads a core object. Fails with [`CoreError::Malformed`] when its
    /// original tuple has no IPv4 or IPv6 layer-3 protocol.
    fn try_from(ct: &Conntrack) -> Result<Flow, CoreError> {
        let family = ct.head.orig.l3protonum;
        if !ct.is_set(Attr::OrigL3Proto) || (family != AF_INET && family != AF_INET6) {
            return Err(CoreError::Malformed);
        }
        let orig = tuple_from_core(
            &ct.head.orig,
            family,
            opt(ct, Attr::OrigZone, ct.head.orig.zone),
        );
        let mut f = Flow::new(orig);
        if ct.is_set(Attr::ReplL3Proto)
            || ct.is_set(Attr::ReplIpv4Src)
            || ct.is_set(Attr::ReplIpv6Src)
        {
            let fam = if ct.is_set(Attr::ReplL3Proto) {
                ct.repl.l3protonum
            } else {
                family
            };
            f.reply = Some(tuple_from_core(
                &ct.repl,
                fam,
                opt(ct, Attr::ReplZone, ct.repl.zone),
            ));
        }
        if ct.is_set(Attr::MasterL3Proto) {
            f.master = Some(tuple_from_core(&ct.master, ct.master.l3protonum, None));
        }
        let p = &ct.protoinfo;
        let state = p.0[pi::STATE];
        f.proto_info = match f.orig.protocol {
            Protocol::Tcp if ct.is_set(Attr::TcpState) => Some(ProtoInfo::Tcp(TcpInfo {
                state: TcpState::from_number(state),
                wscale_orig: opt(ct, Attr::TcpWscaleOrig, p.0[pi::TCP_WSCALE]),
                wscale_reply: opt(ct, Attr::TcpWscaleRepl, p.0[pi::TCP_WSCALE + 1]),
                flags_orig: opt(
                    ct,
                    Attr::TcpFlagsOrig,
                    FlagsMask {
                        flags: p.0[pi::TCP_FLAGS],
                        mask: p.0[pi::TCP_FLAGS + 1],
                    },
                ),
                flags_reply: opt(
                    ct,
                    Attr::TcpFlagsRepl,
                    FlagsMask {
                        flags: p.0[pi::TCP_FLAGS + 2],
                        mask: p.0[pi::TCP_FLAGS + 3],
                    },
                ),
            })),
            Protocol::Sctp if ct.is_set(Attr::SctpState) => Some(ProtoInfo::Sctp(SctpInfo {
                state: SctpState::from_number(state),
                vtag_orig: opt(ct, Attr::SctpVtagOrig, p.u32_at(pi::SCTP_VTAG)),
                vtag_reply: opt(ct, Attr::SctpVtagRepl, p.u32_at(pi::SCTP_VTAG + 4)),
            })),
            Protocol::Dccp if ct.is_set(Attr::DccpState) => Some(ProtoInfo::Dccp(DccpInfo {
                state: DccpState::from_number(state),
                role: opt(ct, Attr::DccpRole, p.0[pi::DCCP_ROLE]),
                handshake_seq: opt(ct, Attr::DccpHandshakeSeq, p.u64_at(pi::DCCP_HANDSHAKE_SEQ)),
            })),
            _ => None,
        };
        f.status = opt(ct, Attr::Status, Status::from_bits_retain(ct.status));
        f.timeout = opt(ct, Attr::Timeout, ct.timeout);
        f.mark = opt(ct, Attr::Mark, ct.mark);
        f.secmark = opt(ct, Attr::Secmark, ct.secmark);
        f.zone = opt(ct, Attr::Zone, ct.zone);
        f.id = opt(ct, Attr::Id, ct.id);
        f.use_count = opt(ct, Attr::Use, ct.use_);
        let counted = [
            Attr::OrigCounterPackets,
            Attr::OrigCounterBytes,
            Attr::ReplCounterPackets,
            Attr::ReplCounterBytes,
        ]
        .iter()
        .any(|a| ct.is_set(*a));
        if counted {
            let c = |d: usize| Counter {
                packets: ct.counters[d].packets,
                bytes: ct.counters[d].bytes,
            };
            f.counters = Some(Counters {
                orig: c(DIR_ORIG),
                reply: c(DIR_REPL),
            });
        }
        if ct.is_set(Attr::TimestampStart) {
            f.timestamp = Some(Timestamp {
                start: ct.timestamp.start,
                stop: opt(ct, Attr::TimestampStop, ct.timestamp.stop),
            });
        }
        if ct.is_set(Attr::Connlabels) {
            f.labels = Some(
                ct.connlabels
                    .as_deref()
                    .map(Labels::from_bitmask)
                    .unwrap_or_default(),
            );
        }
        if ct.is_set(Attr::ConnlabelsMask) {
            f.labels_mask = Some(
                ct.connlabels_mask
                    .as_deref()
                    .map(Labels::from_bitmask)
                    .unwrap_or_default(),
            );
        }
        f.snat = read_nat(
            ct,
            &ct.snat,
            [Attr::SnatIpv4, Attr::SnatIpv6, Attr::SnatPort],
        );
        f.dnat = read_nat(
            ct,
            &ct.dnat,
            [Attr::DnatIpv4, Attr::DnatIpv6, Attr::DnatPort],
        );
        if ct.is_set(Attr::HelperName) {
            f.helper = Some(cstr(&ct.helper_name));
        }
        if ct.is_set(Attr::Secctx) {
            f.secctx = ct.secctx.as_deref().map(cstr);
        }
        Ok(f)
    }
}

impl TryFrom<Conntrack> for Flow {
    type Error = CoreError;

    fn try_from(ct: Conntrack) -> Result<Flow, CoreError> {
        Flow::try_from(&ct)
    }
}

/// Formats `ct` as `nfct_snprintf` with the default format, no flags and
/// message type `msg_type` (0: no `[NEW]`-style prefix).
pub(crate) fn write_conntrack(
    f: &mut fmt::Formatter<'_>,
    ct: &Conntrack,
    msg_type: u32,
) -> fmt::Result {
    use crate::format::{snprintf_conntrack, UtcClock, O_DEFAULT};
    let mut buf = vec![0u8; 1024];
    loop {
        let n = snprintf_conntrack(
            &mut buf,
            ct,
            msg_type,
            O_DEFAULT,
            0,
            None,
            &UtcClock::default(),
        )
        .map_err(|_| fmt::Error)?;
        // -1: the layer-4 protocol is unset; nothing to print.
        let Ok(n) = usize::try_from(n) else {
            return Ok(());
        };
        if n < buf.len() {
            return f.write_str(&String::from_utf8_lossy(&buf[..n]));
        }
        buf.resize(n + 1, 0);
    }
}

impl fmt::Display for Flow {
    /// The text of `nfct_snprintf(buf, size, ct, NFCT_T_UNKNOWN,
    /// NFCT_O_DEFAULT, 0)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_conntrack(f, &Conntrack::from(self), 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Flow {
        let mut f = Flow::builder(Tuple::new(
            Protocol::Tcp,
            "10.0.0.1:1234".parse().unwrap(),
            "10.0.0.2:80".parse().unwrap(),
        ))
        .proto_info(ProtoInfo::Tcp(TcpInfo {
            state: TcpState::TimeWait,
            wscale_orig: Some(7),
            wscale_reply: Some(8),
            flags_orig: Some(FlagsMask { flags: 3, mask: 3 }),
            flags_reply: None,
        }))
        .status(Status::ASSURED | Status::SEEN_REPLY | Status::from_bits_retain(1 << 30))
        .timeout(30)
        .mark(0xdead)
        .zone(4)
        .labels(Labels::default().with(1).with(100))
        .snat("10.9.9.9".parse().unwrap(), Some(999))
        .helper("ftp")
        .build();
        f.id = Some(42);
        f.use_count = Some(1);
        f.counters = Some(Counters {
            orig: Counter {
                packets: 1,
                bytes: 60,
            },
            reply: Counter {
                packets: 2,
                bytes: 120,
            },
        });
        f.timestamp = Some(Timestamp {
            start: 5,
            stop: Some(9),
        });
        f.secctx = Some("ctx".into());
        f.master = Some(Tuple::new(
            Protocol::Tcp,
            "10.0.0.1:1000".parse().unwrap(),
            "10.0.0.2:21".parse().unwrap(),
        ));
        f
    }

    #[test]
    fn flow_round_trips_through_the_core_object() {
        let f = sample();
        let ct = Conntrack::from(&f);
        assert_eq!(Flow::try_from(&ct).unwrap(), f);
        // Through the wire format as well.
        let mut msg = Vec::new();
        crate::query::conntrack_message(0, 0, &ct, &mut msg).unwrap();
        let mut back = Conntrack::new();
        crate::conntrack::parse::message(&msg, &mut back).unwrap();
        let g = Flow::try_from(&back).unwrap();
        assert_eq!(g.orig, f.orig);
        assert_eq!(g.reply, f.reply);
        assert_eq!(g.mark, f.mark);
        assert_eq!(g.labels, f.labels);
        assert_eq!(g.helper.as_deref(), Some("ftp"));
        assert_eq!(g.tcp_state(), Some(TcpState::TimeWait));
        // The status goes out with CONFIRMED added, as upstream sends it.
        assert_eq!(g.status, Some(f.status.unwrap() | Status::CONFIRMED));
    }

    #[test]
    fn ipv6_icmp_and_other_protocols() {
        let t = Tuple::icmp(
            "2001:db8::1".parse().unwrap(),
            "2001:db8::2".parse().unwrap(),
            128,
            0,
            77,
        );
        assert_eq!(t.protocol, Protocol::IcmpV6);
        let f = Flow::builder(t).timeout(30).build();
        let ct = Conntrack::from(&f);
        // The reversed tuple carries the echo reply type.
        assert_eq!(ct.repl.l4dst.0, [129, 0]);
        let back = Flow::try_from(&ct).unwrap();
        assert_eq!(back.orig, t);
        assert_eq!(
            f.to_string(),
            "icmpv6   58 30 src=2001:db8::1 dst=2001:db8::2 type=128 code=0 id=77 \
             src=2001:db8::2 dst=2001:db8::1 type=129 code=0 id=77"
        );
        let gre = Tuple::addresses(
            Protocol::Other(99),
            "192.0.2.1".parse().unwrap(),
            "192.0.2.2".parse().unwrap(),
        );
        let f = Flow::update(gre).mark(1).build();
        assert_eq!(f.reply, None);
        assert_eq!(Flow::try_from(&Conntrack::from(&f)).unwrap(), f);
        assert_eq!(Protocol::from_number(132), Protocol::Sctp);
        assert_eq!(TcpState::from_number(3).to_string(), "ESTABLISHED");
        assert_eq!(TcpState::from_number(200), TcpState::Other(200));
        assert_eq!(Flow::try_from(&Conntrack::new()), Err(CoreError::Malformed));
    }
}
