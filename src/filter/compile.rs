//! Compiles an [`EventFilter`] to the classic BPF program that upstream's
//! src/conntrack/bsf.c builds for `nfct_filter_attach`.
//!
//! The program walks the ctnetlink event: it lets through everything that
//! is not a conntrack message, then runs one block per configured
//! attribute kind (protocol, IPv4 source and destination, IPv6 source and
//! destination, protocol state, mark, zone) and finally accepts. A block
//! looks up the attribute with the kernel's netlink ancillary loads; an
//! event lacking it skips the block (mark and zone count as 0 instead).
//! With positive logic an event that matches no entry is dropped, with
//! negative logic one that matches any entry is dropped.
//!
//! Jump offsets are computed exactly and must fit the 8-bit fields: where
//! upstream silently wraps them (very long address or mark lists) we fail
//! with `EINVAL` rather than attach a program that filters wrongly.
#![forbid(unsafe_code)]

use super::bpf::{
    self, Insn, ABS, ADD, ALU, AND, B, H, IMM, IND, JA, JEQ, JMP, K, LD, LDX, MISC, RET,
    SKF_AD_NLATTR, SKF_AD_NLATTR_NEST, SKF_AD_OFF, TAX, TXA, W,
};
use super::{Attr, EventFilter, LOGIC_NEGATIVE, LOGIC_POSITIVE};
use crate::kernel::*;
use crate::netlink::message::NFNL_HDRLEN;
use crate::{Error, Result};

/// Verdict that drops a message.
pub const REJECT: u32 = 0;
/// Verdict that keeps a whole message.
pub const ACCEPT: u32 = !0;

/// Offset of the first attribute: `struct nlmsghdr` plus `struct nfgenmsg`.
const PAYLOAD_OFFSET: u32 = NFNL_HDRLEN as u32;
/// Size of an attribute header.
const ATTR_HDR: u32 = 4;
/// Offset of `nlmsg_type` in `struct nlmsghdr`.
const NLMSG_TYPE_OFFSET: u32 = 4;

/// Where a pending conditional jump goes once the block is complete.
#[derive(Clone, Copy)]
enum Target {
    /// The attribute is missing: go on with the next block.
    Continue,
    /// An entry matched.
    Match,
}

/// One block under construction, with its forward jumps still open.
#[derive(Default)]
struct Block {
    code: Vec<Insn>,
    open: Vec<(usize, Target)>,
}

impl Block {
    fn stmt(&mut self, code: u16, k: u32) {
        self.code.push(Insn::stmt(code, k));
    }
    fn load_payload_offset(&mut self) {
        self.stmt(LD | IMM, PAYLOAD_OFFSET);
    }
    /// A = offset of attribute `attr`, searched from offset A on (0 if none).
    fn find_attr(&mut self, attr: u16) {
        self.stmt(LDX | IMM, u32::from(attr));
        self.stmt(LD | B | ABS, SKF_AD_OFF + SKF_AD_NLATTR);
    }
    /// A = offset of attribute `attr` inside the nest at offset A (0 if none).
    fn find_attr_nest(&mut self, attr: u16) {
        self.stmt(LDX | IMM, u32::from(attr));
        self.stmt(LD | B | ABS, SKF_AD_OFF + SKF_AD_NLATTR_NEST);
    }
    /// A += size of an attribute header.
    fn skip_attr_header(&mut self) {
        self.stmt(ALU | ADD | K, ATTR_HDR);
    }
    /// A = the `size` bytes at X + header + `offset`.
    fn load_attr(&mut self, size: u16, offset: u32) {
        self.stmt(LD | size | IND, ATTR_HDR + offset);
    }
    /// Jumps to `target` when A == `k`.
    fn jeq(&mut self, k: u32, target: Target) {
        self.open.push((self.code.len(), target));
        self.code.push(Insn::jump(JMP | JEQ | K, k, 0, 0));
    }
    /// Jumps to `target` when A == 0: the attribute was not found.
    fn skip_if_missing(&mut self) {
        self.jeq(0, Target::Continue);
    }

    /// Resolves the open jumps and appends the verdict part: with
    /// negative logic a jump over the rejection, then the rejection.
    fn finish(mut self, logic: u32) -> Result<Vec<Insn>> {
        let end = self.code.len();
        // Upstream: a missing attribute continues right after the
        // rejection with positive logic, one further with any other value
        // (the jump over the rejection takes that slot with negative
        // logic).
        let cont = if logic == LOGIC_POSITIVE {
            end + 1
        } else {
            end + 2
        };
        for (line, target) in std::mem::take(&mut self.open) {
            let to = match target {
                Target::Continue => cont,
                Target::Match => end + 1,
            };
            let off = to.checked_sub(line + 1).ok_or(Error::InvalidArgument)?;
            self.code[line].jt = u8::try_from(off).map_err(|_| Error::InvalidArgument)?;
        }
        if logic == LOGIC_NEGATIVE {
            self.stmt(JMP | JA, 1);
        }
        self.stmt(RET | K, REJECT);
        Ok(self.code)
    }
}

/// Lets every message that is not from the conntrack subsystem through
/// (expectation events share the socket).
fn subsys_check(prog: &mut Vec<Insn>) {
    // The subsystem id is the high byte of nlmsg_type.
    let byte = if cfg!(target_endian = "big") { 0 } else { 1 };
    prog.push(Insn::stmt(LDX | IMM, NLMSG_TYPE_OFFSET));
    prog.push(Insn::stmt(LD | B | IND, byte));
    prog.push(Insn::jump(
        JMP | JEQ | K,
        u32::from(NFNL_SUBSYS_CTNETLINK),
        1,
        0,
    ));
    prog.push(Insn::stmt(RET | K, ACCEPT));
}

/// Descends from the payload into `outer`, then `inner`, then finds
/// `leaf`, leaving X = A = the leaf's offset. Upstream's three-level walk
/// for the protocol, IPv4 and state blocks.
fn walk_three_levels(b: &mut Block, outer: u16, inner: u16, leaf: u16) {
    b.load_payload_offset();
    b.find_attr(outer);
    b.skip_if_missing();
    b.skip_attr_header();
    b.find_attr(inner);
    b.skip_if_missing();
    b.skip_attr_header();
    b.find_attr(leaf);
    b.skip_if_missing();
    b.stmt(MISC | TAX, 0);
}

fn proto_block(f: &EventFilter) -> Result<Vec<Insn>> {
    if f.l4proto_len == 0 {
        return Ok(Vec::new());
    }
    let mut b = Block::default();
    walk_three_levels(&mut b, CTA_TUPLE_ORIG, CTA_TUPLE_PROTO, CTA_PROTO_NUM);
    b.load_attr(B, 0);
    for p in 0..super::IPPROTO_MAX {
        if f.has_l4proto(p) {
            b.jeq(p as u32, Target::Match);
        }
    }
    b.finish(f.logic[Attr::L4Proto as usize])
}

fn ipv4_block(f: &EventFilter, dir: usize) -> Result<Vec<Insn>> {
    let (leaf, attr) = if dir == 0 {
        (CTA_IP_V4_SRC, Attr::SrcIpv4)
    } else {
        (CTA_IP_V4_DST, Attr::DstIpv4)
    };
    if f.ipv4[dir].is_empty() {
        return Ok(Vec::new());
    }
    let mut b = Block::default();
    walk_three_levels(&mut b, CTA_TUPLE_ORIG, CTA_TUPLE_IP, leaf);
    for m in &f.ipv4[dir] {
        b.load_attr(W, 0);
        b.stmt(ALU | AND | K, m.mask);
        b.jeq(m.addr & m.mask, Target::Match);
    }
    b.finish(f.logic[attr as usize])
}

fn ipv6_block(f: &EventFilter, dir: usize) -> Result<Vec<Insn>> {
    let (leaf, attr) = if dir == 0 {
        (CTA_IP_V6_SRC, Attr::SrcIpv6)
    } else {
        (CTA_IP_V6_DST, Attr::DstIpv6)
    };
    if f.ipv6[dir].is_empty() {
        return Ok(Vec::new());
    }
    let mut b = Block::default();
    b.load_payload_offset();
    b.find_attr(CTA_TUPLE_ORIG);
    b.skip_if_missing();
    // From here on the nest-bounded lookup: A stays on attribute headers.
    b.find_attr_nest(CTA_TUPLE_IP);
    b.skip_if_missing();
    b.find_attr_nest(leaf);
    b.skip_if_missing();
    b.stmt(MISC | TAX, 0);
    for m in &f.ipv6[dir] {
        for word in 0..4u8 {
            let w = usize::from(word);
            b.load_attr(W, 4 * u32::from(word));
            b.stmt(ALU | AND | K, m.mask[w]);
            let k = m.addr[w] & m.mask[w];
            if word < 3 {
                // A mismatch skips the rest of this address (three
                // instructions per remaining word).
                b.code.push(Insn::jump(JMP | JEQ | K, k, 0, (3 - word) * 3));
            } else {
                b.jeq(k, Target::Match);
            }
        }
    }
    b.finish(f.logic[attr as usize])
}

fn state_block(proto: usize, map: u16, logic: u32) -> Result<Vec<Insn>> {
    let (info, state) = match u8::try_from(proto).unwrap_or(0) {
        IPPROTO_TCP => (CTA_PROTOINFO_TCP, CTA_PROTOINFO_TCP_STATE),
        IPPROTO_SCTP => (CTA_PROTOINFO_SCTP, CTA_PROTOINFO_SCTP_STATE),
        IPPROTO_DCCP => (CTA_PROTOINFO_DCCP, CTA_PROTOINFO_DCCP_STATE),
        // Upstream emits nothing for protocols without a state.
        _ => return Ok(Vec::new()),
    };
    let mut b = Block::default();
    walk_three_levels(&mut b, CTA_PROTOINFO, info, state);
    b.load_attr(B, 0);
    for s in 0..16u32 {
        if map & (1 << s) != 0 {
            b.jeq(s, Target::Match);
        }
    }
    b.finish(logic)
}

/// The mark and zone blocks: a missing attribute reads as 0.
fn value_block(
    attr_type: u16,
    size: u16,
    f_logic: u32,
    entries: &[(u32, u32)],
) -> Result<Vec<Insn>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = Block::default();
    b.load_payload_offset();
    b.find_attr(attr_type);
    // Not found: skip the two loads below and compare A = 0.
    b.code.push(Insn::jump(JMP | JEQ | K, 0, 2, 0));
    b.stmt(MISC | TAX, 0);
    b.load_attr(size, 0);
    if size == W {
        // Marks are masked, so keep the value in X for each comparison.
        b.stmt(MISC | TAX, 0);
        for &(val, mask) in entries {
            b.stmt(ALU | AND | K, mask);
            b.jeq(val & mask, Target::Match);
            b.stmt(MISC | TXA, 0);
        }
    } else {
        for &(val, _) in entries {
            b.jeq(val, Target::Match);
        }
    }
    b.finish(f_logic)
}

/// Compiles `f` to a program the kernel accepts as a socket filter.
///
/// Fails with `InvalidArgument` when an offset does not fit its field or
/// the program breaks a rule of [`bpf::verify`].
pub fn compile(f: &EventFilter) -> Result<Vec<Insn>> {
    let mut prog = Vec::new();
    subsys_check(&mut prog);
    prog.extend(proto_block(f)?);
    prog.extend(ipv4_block(f, 0)?);
    prog.extend(ipv4_block(f, 1)?);
    prog.extend(ipv6_block(f, 0)?);
    prog.extend(ipv6_block(f, 1)?);
    // Upstream writes every protocol's state block at the same place, so
    // with more than one protocol the blocks overwrite each other; we
    // emit them one after the other, in protocol order.
    for (proto, s) in f.l4proto_state.iter().enumerate() {
        if s.map != 0 && s.len > 0 {
            prog.extend(state_block(
                proto,
                s.map,
                f.logic[Attr::L4ProtoState as usize],
            )?);
        }
    }
    let marks: Vec<(u32, u32)> = f.mark.iter().map(|m| (m.val, m.mask)).collect();
    prog.extend(value_block(
        CTA_MARK,
        W,
        f.logic[Attr::Mark as usize],
        &marks,
    )?);
    let zones: Vec<(u32, u32)> = f.zone.iter().map(|&z| (u32::from(z), 0)).collect();
    prog.extend(value_block(
        CTA_ZONE,
        H,
        f.logic[Attr::Zone as usize],
        &zones,
    )?);
    prog.push(Insn::stmt(RET | K, ACCEPT));
    bpf::verify(&prog)?;
    Ok(prog)
}

#[cfg(test)]
mod tests {
    use super::super::{bpf::run, Ipv4Match, Ipv6Match, MarkMatch, Value};
    use super::*;

    /// Programs the original library (1.0.9) attached, read back with
    /// SO_GET_FILTER by ctests/filter/capture-bpf.c.
    const GOLDEN: &str = include_str!("../../ctests/filter/golden-bpf.txt");

    fn golden(name: &str) -> Vec<Insn> {
        let line = GOLDEN
            .lines()
            .find(|l| l.split(' ').next() == Some(name))
            .unwrap_or_else(|| panic!("no golden program {name}"));
        let mut words = line.split(' ').skip(1);
        let n: usize = words.next().unwrap().parse().unwrap();
        let prog: Vec<Insn> = words
            .map(|w| {
                let f: Vec<u32> = w
                    .split(',')
                    .map(|x| u32::from_str_radix(x, 16).unwrap())
                    .collect();
                Insn::jump(f[0] as u16, f[3], f[1] as u8, f[2] as u8)
            })
            .collect();
        assert_eq!(prog.len(), n);
        prog
    }

    /// 1.0.9 sends a mismatching IPv6 word straight to the block's end;
    /// 1.1.1 (our reference) tries the next address: skip the remaining
    /// words of this address, three instructions each.
    fn as_in_1_1_1(mut prog: Vec<Insn>) -> Vec<Insn> {
        let mut word = 0u8;
        for i in prog.iter_mut() {
            if i.code == JMP | JEQ | K && i.jf != 0 {
                i.jf = (3 - word) * 3;
                word += 1;
            } else if i.code == JMP | JEQ | K && word == 3 {
                word = 0;
            }
        }
        prog
    }

    fn v4(addr: u32, mask: u32) -> Ipv4Match {
        Ipv4Match { addr, mask }
    }

    fn v6(w0: u32, w3: u32) -> Ipv6Match {
        Ipv6Match {
            addr: [w0, 0, 0, w3],
            mask: [!0; 4],
        }
    }

    fn state(proto: u16, state: u16) -> Value {
        Value::L4ProtoState { proto, state }
    }

    fn mark(val: u32, mask: u32) -> Value {
        Value::Mark(MarkMatch { val, mask })
    }

    fn filter(values: &[Value], negative: &[Attr]) -> EventFilter {
        let mut f = EventFilter::new();
        for v in values {
            f.add(*v);
        }
        for a in negative {
            f.set_logic(*a as u32, LOGIC_NEGATIVE).unwrap();
        }
        f
    }

    /// The filters of capture-bpf.c, by case name.
    fn cases() -> Vec<(&'static str, EventFilter)> {
        use Value::*;
        vec![
            ("empty", filter(&[], &[])),
            ("proto", filter(&[L4Proto(17), L4Proto(6)], &[])),
            ("proto-neg", filter(&[L4Proto(1)], &[Attr::L4Proto])),
            (
                "src4",
                filter(
                    &[
                        SrcIpv4(v4(0x7f00_0001, !0)),
                        SrcIpv4(v4(0x0a00_0000, 0xff00_0000)),
                    ],
                    &[],
                ),
            ),
            (
                "dst4-neg",
                filter(&[DstIpv4(v4(0xc0a8_0001, 0xffff_ff00))], &[Attr::DstIpv4]),
            ),
            (
                "src6",
                filter(&[SrcIpv6(v6(0x2001_0db8, 1)), SrcIpv6(v6(0, 1))], &[]),
            ),
            (
                "dst6-neg",
                filter(&[DstIpv6(v6(0xfe80_0000, 2))], &[Attr::DstIpv6]),
            ),
            ("tcp-state", filter(&[state(6, 3), state(6, 1)], &[])),
            (
                "sctp-state-neg",
                filter(&[state(132, 2)], &[Attr::L4ProtoState]),
            ),
            ("mark", filter(&[mark(1, !0), mark(0x100, 0xf00)], &[])),
            ("mark-neg", filter(&[mark(7, 0xff)], &[Attr::Mark])),
            (
                "all",
                filter(
                    &[
                        L4Proto(6),
                        SrcIpv4(v4(0x7f00_0001, !0)),
                        DstIpv4(v4(0x7f00_0002, !0)),
                        SrcIpv6(v6(0, 1)),
                        DstIpv6(v6(0, 1)),
                        state(6, 3),
                        mark(1, 1),
                    ],
                    &[Attr::SrcIpv4],
                ),
            ),
            (
                "src6-max",
                filter(&(0..20).map(|i| SrcIpv6(v6(i, i))).collect::<Vec<_>>(), &[]),
            ),
            (
                "dst4-80",
                filter(
                    &(0..80).map(|i| DstIpv4(v4(i, !0))).collect::<Vec<_>>(),
                    &[],
                ),
            ),
        ]
    }

    #[test]
    fn programs_match_the_original() {
        for (name, f) in cases() {
            let want = as_in_1_1_1(golden(name));
            let got = compile(&f).unwrap();
            assert_eq!(got.len(), want.len(), "{name}: length");
            for (pc, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(g, w, "{name}: instruction {pc}");
            }
        }
    }

    #[test]
    fn state_of_stateless_protocol_adds_nothing() {
        // 1.0.9 fails to attach here (a bug fixed in 1.1.1, which emits
        // no block for protocols without states).
        let f = filter(&[state(17, 2)], &[]);
        assert_eq!(compile(&f).unwrap(), golden("empty"));
    }

    #[test]
    fn zone_program() {
        let f = filter(&[Value::Zone(1), Value::Zone(0x200)], &[Attr::Zone]);
        let p = compile(&f).unwrap();
        let body: Vec<Insn> = vec![
            Insn::stmt(LD | IMM, 20),
            Insn::stmt(LDX | IMM, u32::from(CTA_ZONE)),
            Insn::stmt(LD | B | ABS, SKF_AD_OFF + SKF_AD_NLATTR),
            Insn::jump(JMP | JEQ | K, 0, 2, 0),
            Insn::stmt(MISC | TAX, 0),
            Insn::stmt(LD | H | IND, 4),
            Insn::jump(JMP | JEQ | K, 1, 2, 0),
            Insn::jump(JMP | JEQ | K, 0x200, 1, 0),
            Insn::stmt(JMP | JA, 1),
            Insn::stmt(RET | K, REJECT),
        ];
        assert_eq!(p[..4], golden("empty")[..4]);
        assert_eq!(p[4..p.len() - 1], body[..]);
        assert_eq!(p[p.len() - 1], Insn::stmt(RET | K, ACCEPT));
    }

    #[test]
    fn too_long_blocks_fail_instead_of_wrapping() {
        // Upstream wraps these jump offsets and attaches a wrong program.
        let f = filter(
            &(0..127)
                .map(|i| Value::SrcIpv4(v4(i, !0)))
                .collect::<Vec<_>>(),
            &[],
        );
        assert_eq!(compile(&f), Err(Error::InvalidArgument));
        let f = filter(&(0..127).map(|i| mark(i, !0)).collect::<Vec<_>>(), &[]);
        assert_eq!(compile(&f), Err(Error::InvalidArgument));
        // The largest lists that fit still compile.
        let f = filter(
            &(0..81)
                .map(|i| Value::SrcIpv4(v4(i, !0)))
                .collect::<Vec<_>>(),
            &[],
        );
        assert!(compile(&f).is_ok());
        let f = filter(
            &(0..127).map(|i| Value::Zone(i as u16)).collect::<Vec<_>>(),
            &[],
        );
        assert!(compile(&f).is_ok());
        let f = filter(&(0..255).map(Value::L4Proto).collect::<Vec<_>>(), &[]);
        assert_eq!(compile(&f), Err(Error::InvalidArgument));
    }

    #[test]
    fn odd_logic_values_behave_like_upstream() {
        // A logic that is neither positive nor negative: a missing
        // attribute jumps two past the rejection, here beyond the program.
        let mut f = filter(&[Value::L4Proto(6)], &[]);
        f.logic[Attr::L4Proto as usize] = 5;
        assert_eq!(compile(&f), Err(Error::InvalidArgument));
    }

    // --- Running programs on crafted ctnetlink events ---

    struct Msg(Vec<u8>);

    impl Msg {
        fn attr(ty: u16, data: &[u8]) -> Vec<u8> {
            let mut v = Vec::new();
            v.extend_from_slice(&((4 + data.len()) as u16).to_ne_bytes());
            v.extend_from_slice(&ty.to_ne_bytes());
            v.extend_from_slice(data);
            v.resize(v.len().next_multiple_of(4), 0);
            v
        }
        fn nest(ty: u16, parts: &[Vec<u8>]) -> Vec<u8> {
            Msg::attr(ty | NLA_F_NESTED, &parts.concat())
        }
        fn new(subsys: u8, family: u8, attrs: &[Vec<u8>]) -> Msg {
            let body = attrs.concat();
            let mut v = Vec::new();
            v.extend_from_slice(&((20 + body.len()) as u32).to_ne_bytes());
            v.extend_from_slice(
                &(u16::from(subsys) << 8 | u16::from(IPCTNL_MSG_CT_NEW)).to_ne_bytes(),
            );
            v.extend_from_slice(&[0; 10]);
            v.extend_from_slice(&[family, 0, 0, 0]);
            v.extend_from_slice(&body);
            Msg(v)
        }
    }

    /// A TCP or UDP event over IPv4 (or IPv6 when `v6`), with optional
    /// TCP state, mark and zone.
    #[derive(Clone, Copy, Default)]
    struct Event {
        proto: u8,
        src: u32,
        dst: u32,
        v6: Option<([u8; 16], [u8; 16])>,
        tcp_state: Option<u8>,
        mark: Option<u32>,
        zone: Option<u16>,
    }

    impl Event {
        fn tuple(&self) -> Vec<u8> {
            let ip = match self.v6 {
                Some((s, d)) => Msg::nest(
                    CTA_TUPLE_IP,
                    &[Msg::attr(CTA_IP_V6_SRC, &s), Msg::attr(CTA_IP_V6_DST, &d)],
                ),
                None => Msg::nest(
                    CTA_TUPLE_IP,
                    &[
                        Msg::attr(CTA_IP_V4_SRC, &self.src.to_be_bytes()),
                        Msg::attr(CTA_IP_V4_DST, &self.dst.to_be_bytes()),
                    ],
                ),
            };
            let proto = Msg::nest(
                CTA_TUPLE_PROTO,
                &[
                    Msg::attr(CTA_PROTO_NUM, &[self.proto]),
                    Msg::attr(CTA_PROTO_SRC_PORT, &1234u16.to_be_bytes()),
                    Msg::attr(CTA_PROTO_DST_PORT, &80u16.to_be_bytes()),
                ],
            );
            [ip, proto].concat()
        }

        fn msg(&self) -> Msg {
            let mut attrs = vec![
                Msg::attr(CTA_TUPLE_ORIG | NLA_F_NESTED, &self.tuple()),
                Msg::attr(CTA_TUPLE_REPLY | NLA_F_NESTED, &self.tuple()),
                Msg::attr(CTA_STATUS, &8u32.to_be_bytes()),
            ];
            if let Some(s) = self.tcp_state {
                let tcp = Msg::nest(
                    CTA_PROTOINFO_TCP,
                    &[Msg::attr(CTA_PROTOINFO_TCP_STATE, &[s])],
                );
                attrs.push(Msg::nest(CTA_PROTOINFO, &[tcp]));
            }
            if let Some(m) = self.mark {
                attrs.push(Msg::attr(CTA_MARK, &m.to_be_bytes()));
            }
            if let Some(z) = self.zone {
                attrs.push(Msg::attr(CTA_ZONE, &z.to_be_bytes()));
            }
            Msg::new(
                NFNL_SUBSYS_CTNETLINK,
                if self.v6.is_some() { 10 } else { 2 },
                &attrs,
            )
        }
    }

    fn passes(f: &EventFilter, e: &Event) -> bool {
        let prog = compile(f).unwrap();
        match run(&prog, &e.msg().0) {
            ACCEPT => true,
            REJECT => false,
            v => panic!("unexpected verdict {v:#x}"),
        }
    }

    fn tcp(src: u32, dst: u32) -> Event {
        Event {
            proto: 6,
            src,
            dst,
            ..Event::default()
        }
    }

    #[test]
    fn runs_protocol_filters() {
        let udp = Event {
            proto: 17,
            ..tcp(1, 2)
        };
        let f = filter(&[Value::L4Proto(6), Value::L4Proto(132)], &[]);
        assert!(passes(&f, &tcp(1, 2)));
        assert!(!passes(&f, &udp));
        let f = filter(&[Value::L4Proto(6)], &[Attr::L4Proto]);
        assert!(!passes(&f, &tcp(1, 2)));
        assert!(passes(&f, &udp));
        // An empty filter lets everything through.
        assert!(passes(&EventFilter::new(), &udp));
    }

    #[test]
    fn non_conntrack_messages_pass() {
        let f = filter(&[Value::L4Proto(6)], &[]);
        let prog = compile(&f).unwrap();
        let exp = Msg::new(NFNL_SUBSYS_CTNETLINK_EXP, 2, &[]);
        assert_eq!(run(&prog, &exp.0), ACCEPT);
        // A conntrack message without an original tuple skips the block.
        let bare = Msg::new(NFNL_SUBSYS_CTNETLINK, 2, &[Msg::attr(CTA_MARK, &[0; 4])]);
        assert_eq!(run(&prog, &bare.0), ACCEPT);
        let f = filter(&[Value::L4Proto(6)], &[Attr::L4Proto]);
        assert_eq!(run(&compile(&f).unwrap(), &bare.0), ACCEPT);
    }

    #[test]
    fn runs_ipv4_filters() {
        let f = filter(
            &[
                Value::SrcIpv4(v4(0x0a00_0000, 0xff00_0000)),
                Value::SrcIpv4(v4(0x7f00_0001, !0)),
            ],
            &[],
        );
        assert!(passes(&f, &tcp(0x0a01_0203, 9)));
        assert!(passes(&f, &tcp(0x7f00_0001, 9)));
        assert!(!passes(&f, &tcp(0x7f00_0002, 9)));
        assert!(!passes(&f, &tcp(0x0b00_0000, 9)));
        let f = filter(
            &[Value::DstIpv4(v4(0xc0a8_0100, 0xffff_ff00))],
            &[Attr::DstIpv4],
        );
        assert!(!passes(&f, &tcp(1, 0xc0a8_0105)));
        assert!(passes(&f, &tcp(1, 0xc0a8_0205)));
        // Upstream's lookups are not bounded by the nest: on an IPv6
        // event the search for CTA_IP_V4_DST (2) runs on past CTA_TUPLE_IP
        // and stops at CTA_TUPLE_PROTO (also 2), whose bytes do not
        // match, so a positive IPv4 filter drops IPv6 events.
        let e = Event {
            v6: Some(([0; 16], [0; 16])),
            ..tcp(0, 0)
        };
        let f = filter(&[Value::DstIpv4(v4(1, !0))], &[]);
        assert!(!passes(&f, &e));
    }

    #[test]
    fn runs_ipv6_filters() {
        let mut a = [0u8; 16];
        a[..4].copy_from_slice(&0x2001_0db8u32.to_be_bytes());
        a[15] = 1;
        let mut b = a;
        b[15] = 2;
        let ev = |s: [u8; 16]| Event {
            v6: Some((s, [0; 16])),
            ..tcp(0, 0)
        };
        let f = filter(
            &[
                Value::SrcIpv6(v6(0xfe80_0000, 1)),
                Value::SrcIpv6(v6(0x2001_0db8, 1)),
            ],
            &[],
        );
        // The second address matches: 1.1.1 tries it after the first fails.
        assert!(passes(&f, &ev(a)));
        assert!(!passes(&f, &ev(b)));
        let f = filter(&[Value::SrcIpv6(v6(0x2001_0db8, 1))], &[Attr::SrcIpv6]);
        assert!(!passes(&f, &ev(a)));
        assert!(passes(&f, &ev(b)));
        // A /32 prefix match through the mask.
        let m = Ipv6Match {
            addr: [0x2001_0db8, 0, 0, 0],
            mask: [!0, 0, 0, 0],
        };
        let f = filter(&[Value::SrcIpv6(m)], &[]);
        assert!(passes(&f, &ev(b)));
        assert!(!passes(&f, &ev([0; 16])));
    }

    #[test]
    fn runs_state_filters() {
        let est = Event {
            tcp_state: Some(3),
            ..tcp(1, 2)
        };
        let syn = Event {
            tcp_state: Some(1),
            ..tcp(1, 2)
        };
        let f = filter(&[state(6, 3)], &[]);
        assert!(passes(&f, &est));
        assert!(!passes(&f, &syn));
        // No protocol info: skipped.
        assert!(passes(&f, &tcp(1, 2)));
        let f = filter(&[state(6, 3)], &[Attr::L4ProtoState]);
        assert!(!passes(&f, &est));
        assert!(passes(&f, &syn));
        // Two protocols: both blocks apply (upstream overwrites one).
        let f = filter(&[state(6, 3), state(132, 1)], &[]);
        assert!(passes(&f, &est));
        assert!(!passes(&f, &syn));
    }

    #[test]
    fn runs_mark_and_zone_filters() {
        let with = |mark, zone| Event {
            mark,
            zone,
            ..tcp(1, 2)
        };
        let f = filter(&[mark(0x10, 0xf0), mark(1, !0)], &[]);
        assert!(passes(&f, &with(Some(0x1234_5617), None)));
        assert!(passes(&f, &with(Some(1), None)));
        assert!(!passes(&f, &with(Some(2), None)));
        // A missing mark counts as 0.
        assert!(!passes(&f, &with(None, None)));
        let f = filter(&[mark(0, !0)], &[]);
        assert!(passes(&f, &with(None, None)));
        let f = filter(&[mark(1, !0)], &[Attr::Mark]);
        assert!(!passes(&f, &with(Some(1), None)));
        assert!(passes(&f, &with(Some(3), None)));

        let f = filter(&[Value::Zone(7), Value::Zone(0x100)], &[]);
        assert!(passes(&f, &with(None, Some(7))));
        assert!(passes(&f, &with(None, Some(0x100))));
        assert!(!passes(&f, &with(None, Some(8))));
        assert!(!passes(&f, &with(None, None)));
        let f = filter(&[Value::Zone(7)], &[Attr::Zone]);
        assert!(!passes(&f, &with(None, Some(7))));
        assert!(passes(&f, &with(None, None)));
    }

    #[test]
    fn runs_combined_filters() {
        let f = filter(
            &[
                Value::L4Proto(6),
                Value::SrcIpv4(v4(0x0a00_0000, 0xff00_0000)),
                mark(1, 1),
            ],
            &[Attr::SrcIpv4],
        );
        let e = Event {
            mark: Some(3),
            ..tcp(0x0b00_0001, 2)
        };
        assert!(passes(&f, &e));
        assert!(!passes(&f, &Event { proto: 17, ..e }));
        assert!(!passes(
            &f,
            &Event {
                src: 0x0a00_0001,
                ..e
            }
        ));
        assert!(!passes(&f, &Event { mark: Some(2), ..e }));
    }

    #[test]
    fn truncated_messages_never_panic() {
        let f = filter(
            &[
                Value::L4Proto(6),
                Value::SrcIpv6(v6(1, 1)),
                mark(1, 1),
                Value::Zone(1),
                state(6, 3),
            ],
            &[],
        );
        let prog = compile(&f).unwrap();
        let full = Event {
            tcp_state: Some(3),
            mark: Some(1),
            zone: Some(1),
            ..tcp(1, 2)
        }
        .msg()
        .0;
        for n in 0..full.len() {
            let v = run(&prog, &full[..n]);
            assert!(v == ACCEPT || v == REJECT);
        }
    }
    /// A small deterministic generator, so that the test needs no crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u32 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) as u32
        }
        fn below(&mut self, n: u32) -> u32 {
            self.next() % n
        }
    }

    #[test]
    fn random_filters_and_messages_never_panic() {
        let mut rng = Lcg(7);
        let base = Event {
            tcp_state: Some(3),
            mark: Some(1),
            zone: Some(2),
            ..tcp(1, 2)
        }
        .msg()
        .0;
        for _ in 0..300 {
            let mut f = EventFilter::new();
            for _ in 0..rng.below(40) {
                let v = match rng.below(8) {
                    0 => Value::L4Proto(rng.below(300) as i32),
                    1 => state(rng.below(140) as u16, rng.below(18) as u16),
                    2 => Value::SrcIpv4(v4(rng.next(), rng.next())),
                    3 => Value::DstIpv4(v4(rng.next(), rng.next())),
                    4 => Value::SrcIpv6(v6(rng.next(), rng.next())),
                    5 => Value::DstIpv6(v6(rng.next(), rng.next())),
                    6 => mark(rng.next(), rng.next()),
                    _ => Value::Zone(rng.next() as u16),
                };
                f.add(v);
            }
            for a in 0..Attr::COUNT as u32 {
                let _ = f.set_logic(a, rng.below(3));
            }
            let prog = match compile(&f) {
                Ok(p) => p,
                Err(e) => {
                    assert_eq!(e, Error::InvalidArgument);
                    continue;
                }
            };
            assert!(bpf::verify(&prog).is_ok());
            let mut msg = base.clone();
            for _ in 0..rng.below(4) {
                let i = rng.below(msg.len() as u32) as usize;
                msg[i] = rng.next() as u8;
            }
            msg.truncate(rng.below(msg.len() as u32 + 1) as usize);
            let v = run(&prog, &msg);
            assert!(v == ACCEPT || v == REJECT);
        }
    }
}
