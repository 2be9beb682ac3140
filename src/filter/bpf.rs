//! Classic BPF (`struct sock_filter`) as the kernel's socket filters run
//! it: the instruction type, the opcodes the event filter compiler uses,
//! the checks the kernel applies before it accepts a program, and a small
//! interpreter used to test programs against netlink messages.
//!
//! Mirrors the instruction helpers of upstream's src/conntrack/bsf.c.
#![forbid(unsafe_code)]

use crate::{Error, Result};

/// One instruction, laid out like `struct sock_filter`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Insn {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

/// Longest program the kernel accepts (`BPF_MAXINSNS`).
pub const MAXINSNS: usize = 4096;

// Instruction classes.
pub const LD: u16 = 0x00;
pub const LDX: u16 = 0x01;
pub const ALU: u16 = 0x04;
pub const JMP: u16 = 0x05;
pub const RET: u16 = 0x06;
pub const MISC: u16 = 0x07;
// Load sizes.
pub const W: u16 = 0x00;
pub const H: u16 = 0x08;
pub const B: u16 = 0x10;
// Load modes.
pub const IMM: u16 = 0x00;
pub const ABS: u16 = 0x20;
pub const IND: u16 = 0x40;
// ALU operations and jump tests.
pub const ADD: u16 = 0x00;
pub const AND: u16 = 0x50;
pub const JA: u16 = 0x00;
pub const JEQ: u16 = 0x10;
/// Operand source: the constant `k`.
pub const K: u16 = 0x00;
// MISC operations.
pub const TAX: u16 = 0x00;
pub const TXA: u16 = 0x80;

/// Start of the ancillary load area (`SKF_AD_OFF`, -0x1000 as u32).
pub const SKF_AD_OFF: u32 = 0xffff_f000;
/// Ancillary load: offset of attribute X searched from offset A.
pub const SKF_AD_NLATTR: u32 = 12;
/// Ancillary load: offset of attribute X inside the nest at offset A.
pub const SKF_AD_NLATTR_NEST: u32 = 16;

/// Size of a netlink attribute header (`struct nlattr`).
const NLA_HDRLEN: u32 = 4;

impl Insn {
    /// An instruction without jump targets.
    pub const fn stmt(code: u16, k: u32) -> Insn {
        Insn {
            code,
            jt: 0,
            jf: 0,
            k,
        }
    }

    /// A conditional jump.
    pub const fn jump(code: u16, k: u32, jt: u8, jf: u8) -> Insn {
        Insn { code, jt, jf, k }
    }

    fn class(&self) -> u16 {
        self.code & 0x07
    }
}

/// Whether `code` is one of the opcodes the compiler emits and the
/// interpreter runs.
fn known_opcode(code: u16) -> bool {
    matches!(
        code,
        c if c == LD | IMM
            || c == LDX | IMM
            || c == LD | W | ABS
            || c == LD | H | ABS
            || c == LD | B | ABS
            || c == LD | W | IND
            || c == LD | H | IND
            || c == LD | B | IND
            || c == ALU | ADD | K
            || c == ALU | AND | K
            || c == JMP | JA
            || c == JMP | JEQ | K
            || c == RET | K
            || c == MISC | TAX
            || c == MISC | TXA
    )
}

/// Applies the kernel's checks on a classic program (`bpf_check_classic`)
/// restricted to the opcodes used here: length between 1 and
/// [`MAXINSNS`], known opcodes, every jump landing inside the program, and
/// a return as the last instruction. A program that fails would make
/// `setsockopt(SO_ATTACH_FILTER)` fail with `EINVAL`; so does this.
pub fn verify(prog: &[Insn]) -> Result<()> {
    if prog.is_empty() || prog.len() > MAXINSNS {
        return Err(Error::InvalidArgument);
    }
    for (pc, insn) in prog.iter().enumerate() {
        if !known_opcode(insn.code) {
            return Err(Error::InvalidArgument);
        }
        if insn.class() == JMP {
            let rest = (prog.len() - pc - 1) as u64;
            if insn.code == JMP | JA {
                if u64::from(insn.k) >= rest {
                    return Err(Error::InvalidArgument);
                }
            } else if u64::from(insn.jt) >= rest || u64::from(insn.jf) >= rest {
                return Err(Error::InvalidArgument);
            }
        }
    }
    match prog.last() {
        Some(last) if last.class() == RET => Ok(()),
        _ => Err(Error::InvalidArgument),
    }
}

fn read_u16_ne(p: &[u8], off: usize) -> Option<u16> {
    let b = p.get(off..off.checked_add(2)?)?;
    Some(u16::from_ne_bytes([b[0], b[1]]))
}

/// Finds attribute `ty` among the attributes in `pkt[start..start+len]`
/// the way the kernel's `nla_find` does; returns its offset in `pkt`.
fn nla_find(pkt: &[u8], start: usize, len: usize, ty: u32) -> Option<usize> {
    let (mut pos, mut rem) = (start, len);
    while rem >= NLA_HDRLEN as usize {
        let nla_len = read_u16_ne(pkt, pos)? as usize;
        let nla_type = read_u16_ne(pkt, pos + 2)?;
        if nla_len < NLA_HDRLEN as usize || nla_len > rem {
            return None;
        }
        if u32::from(nla_type & !(crate::kernel::NLA_F_NESTED | crate::kernel::NLA_F_NET_BYTEORDER))
            == ty
        {
            return Some(pos);
        }
        let total = (nla_len + 3) & !3;
        if total >= rem {
            return None;
        }
        rem -= total;
        pos += total;
    }
    None
}

/// The kernel's `SKF_AD_NLATTR`: offset of attribute `x` searched from
/// offset `a` to the end of the packet, or 0.
fn ad_nlattr(pkt: &[u8], a: u32, x: u32) -> u32 {
    let len = pkt.len();
    if len < NLA_HDRLEN as usize || a as usize > len - NLA_HDRLEN as usize {
        return 0;
    }
    let a = a as usize;
    nla_find(pkt, a, len - a, x).map_or(0, |o| o as u32)
}

/// The kernel's `SKF_AD_NLATTR_NEST`: offset of attribute `x` inside the
/// nest whose header is at offset `a`, or 0.
fn ad_nlattr_nest(pkt: &[u8], a: u32, x: u32) -> u32 {
    let len = pkt.len();
    if len < NLA_HDRLEN as usize || a as usize > len - NLA_HDRLEN as usize {
        return 0;
    }
    let a = a as usize;
    let nla_len = match read_u16_ne(pkt, a) {
        Some(l) => l as usize,
        None => return 0,
    };
    if nla_len > len - a || nla_len < NLA_HDRLEN as usize {
        return 0;
    }
    let start = a + NLA_HDRLEN as usize;
    nla_find(pkt, start, nla_len - NLA_HDRLEN as usize, x).map_or(0, |o| o as u32)
}

/// Loads `size` bytes big-endian at `off`, as classic BPF does; `None`
/// when out of bounds (the kernel then drops the packet).
fn load(pkt: &[u8], off: u64, size: u16) -> Option<u32> {
    let n = match size {
        W => 4,
        H => 2,
        _ => 1,
    };
    let off = usize::try_from(off).ok()?;
    let b = pkt.get(off..off.checked_add(n)?)?;
    Some(b.iter().fold(0u32, |acc, &x| (acc << 8) | u32::from(x)))
}

/// Runs a verified program over `pkt` the way the kernel runs a socket
/// filter, returning its verdict (0 drops the message). Programs that do
/// not pass [`verify`] return 0.
pub fn run(prog: &[Insn], pkt: &[u8]) -> u32 {
    if verify(prog).is_err() {
        return 0;
    }
    let (mut a, mut x, mut pc) = (0u32, 0u32, 0usize);
    // A verified program only jumps forward, so it ends within len steps.
    while let Some(insn) = prog.get(pc) {
        pc += 1;
        let size = insn.code & 0x18;
        match insn.code {
            c if c == LD | IMM => a = insn.k,
            c if c == LDX | IMM => x = insn.k,
            c if c & 0x07 == LD && c & 0xe0 == ABS => {
                if insn.k >= SKF_AD_OFF {
                    a = match insn.k - SKF_AD_OFF {
                        SKF_AD_NLATTR => ad_nlattr(pkt, a, x),
                        SKF_AD_NLATTR_NEST => ad_nlattr_nest(pkt, a, x),
                        _ => return 0,
                    };
                } else {
                    match load(pkt, u64::from(insn.k), size) {
                        Some(v) => a = v,
                        None => return 0,
                    }
                }
            }
            c if c & 0x07 == LD && c & 0xe0 == IND => {
                match load(pkt, u64::from(x) + u64::from(insn.k), size) {
                    Some(v) => a = v,
                    None => return 0,
                }
            }
            c if c == ALU | ADD | K => a = a.wrapping_add(insn.k),
            c if c == ALU | AND | K => a &= insn.k,
            c if c == JMP | JA => pc += insn.k as usize,
            c if c == JMP | JEQ | K => {
                pc += usize::from(if a == insn.k { insn.jt } else { insn.jf });
            }
            c if c == RET | K => return insn.k,
            c if c == MISC | TAX => x = a,
            c if c == MISC | TXA => a = x,
            _ => return 0,
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_rules() {
        let ret = Insn::stmt(RET | K, 0);
        assert_eq!(verify(&[]), Err(Error::InvalidArgument));
        assert_eq!(verify(&[ret]), Ok(()));
        // Must end with a return.
        assert!(verify(&[ret, Insn::stmt(LD | IMM, 1)]).is_err());
        // Jumps must land inside the program.
        assert!(verify(&[Insn::jump(JMP | JEQ | K, 0, 1, 0), ret]).is_err());
        assert!(verify(&[Insn::jump(JMP | JEQ | K, 0, 0, 1), ret, ret]).is_ok());
        assert!(verify(&[Insn::stmt(JMP | JA, 1), ret]).is_err());
        assert!(verify(&[Insn::stmt(JMP | JA, 1), ret, ret]).is_ok());
        // Unknown opcodes and overlong programs are refused.
        assert!(verify(&[Insn::stmt(0xffff, 0), ret]).is_err());
        assert!(verify(&vec![ret; MAXINSNS]).is_ok());
        assert!(verify(&vec![ret; MAXINSNS + 1]).is_err());
    }

    #[test]
    fn run_loads_big_endian_and_drops_out_of_bounds() {
        let pkt = [0x12, 0x34, 0x56, 0x78];
        let prog = [
            Insn::stmt(LD | W | ABS, 0),
            Insn::jump(JMP | JEQ | K, 0x1234_5678, 0, 1),
            Insn::stmt(RET | K, 7),
            Insn::stmt(RET | K, 9),
        ];
        assert_eq!(run(&prog, &pkt), 7);
        let prog = [Insn::stmt(LD | H | ABS, 3), Insn::stmt(RET | K, 7)];
        assert_eq!(run(&prog, &pkt), 0);
    }

    #[test]
    fn nlattr_ancillary_loads() {
        // Two attributes: type 1 (len 5, padded to 8), type 0x8002 (nested flag) len 4.
        let mut pkt = vec![0u8; 4];
        pkt.extend_from_slice(&5u16.to_ne_bytes());
        pkt.extend_from_slice(&1u16.to_ne_bytes());
        pkt.extend_from_slice(&[9, 0, 0, 0]);
        pkt.extend_from_slice(&4u16.to_ne_bytes());
        pkt.extend_from_slice(&0x8002u16.to_ne_bytes());
        assert_eq!(ad_nlattr(&pkt, 4, 1), 4);
        assert_eq!(ad_nlattr(&pkt, 4, 2), 12);
        assert_eq!(ad_nlattr(&pkt, 4, 3), 0);
        assert_eq!(ad_nlattr(&pkt, 1000, 1), 0);
        // A nest holding one attribute of type 7.
        let mut pkt = Vec::new();
        pkt.extend_from_slice(&12u16.to_ne_bytes());
        pkt.extend_from_slice(&0x8001u16.to_ne_bytes());
        pkt.extend_from_slice(&8u16.to_ne_bytes());
        pkt.extend_from_slice(&7u16.to_ne_bytes());
        pkt.extend_from_slice(&[1, 2, 3, 4]);
        assert_eq!(ad_nlattr_nest(&pkt, 0, 7), 4);
        assert_eq!(ad_nlattr_nest(&pkt, 0, 1), 0);
        // A nest whose length runs past the packet finds nothing.
        pkt[0] = 40;
        assert_eq!(ad_nlattr_nest(&pkt, 0, 7), 0);
    }
}
