//! The event-filter compiler on arbitrary attribute sets. The input is a
//! list of operations (`nfct_filter_add_attr` values and
//! `nfct_filter_set_logic` calls) ending at an 0xff byte; what follows is
//! run through the compiled program as a netlink message. A program that
//! compiles must pass the kernel's checks (`bpf::verify`), and running it
//! must end with a verdict.
#![no_main]

use libfuzzer_sys::fuzz_target;
use netfilter_conntrack::filter::bpf;
use netfilter_conntrack::filter::{compile, EventFilter, Ipv4Match, Ipv6Match, MarkMatch, Value};

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn u8(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_ne_bytes([self.u8()?, self.u8()?]))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_ne_bytes([
            self.u8()?,
            self.u8()?,
            self.u8()?,
            self.u8()?,
        ]))
    }
    fn words(&mut self) -> Option<[u32; 4]> {
        Some([self.u32()?, self.u32()?, self.u32()?, self.u32()?])
    }
}

/// Reads the operations into `f`; returns the bytes after the end marker.
fn build<'a>(r: &mut Reader<'a>, f: &mut EventFilter) -> Option<&'a [u8]> {
    loop {
        let op = r.u8()?;
        match op % 16 {
            0 => f.add(Value::L4Proto(i32::from(r.u16()? as i16))),
            1 => f.add(Value::L4ProtoState {
                proto: r.u16()? % 300,
                state: u16::from(r.u8()? % 20),
            }),
            2 => f.add(Value::SrcIpv4(Ipv4Match {
                addr: r.u32()?,
                mask: r.u32()?,
            })),
            3 => f.add(Value::DstIpv4(Ipv4Match {
                addr: r.u32()?,
                mask: r.u32()?,
            })),
            4 => f.add(Value::SrcIpv6(Ipv6Match {
                addr: r.words()?,
                mask: r.words()?,
            })),
            5 => f.add(Value::DstIpv6(Ipv6Match {
                addr: r.words()?,
                mask: r.words()?,
            })),
            6 => f.add(Value::Mark(MarkMatch {
                val: r.u32()?,
                mask: r.u32()?,
            })),
            7 => f.add(Value::Zone(r.u16()?)),
            8 => {
                let attr = u32::from(r.u8()? % 10);
                let logic = u32::from(r.u8()? % 3);
                let _ = f.set_logic(attr, logic);
            }
            // Many values at once, to reach the per-attribute limits.
            9 => {
                let n = r.u8()?;
                let base = r.u32()?;
                for i in 0..u32::from(n) {
                    f.add(Value::SrcIpv4(Ipv4Match {
                        addr: base.wrapping_add(i),
                        mask: !0,
                    }));
                    f.add(Value::Mark(MarkMatch {
                        val: base ^ i,
                        mask: !0,
                    }));
                    f.add(Value::Zone(i as u16));
                }
            }
            10 => {
                let n = r.u8()?;
                for i in 0..u32::from(n) {
                    f.add(Value::DstIpv6(Ipv6Match {
                        addr: [i; 4],
                        mask: [!0; 4],
                    }));
                    f.add(Value::L4Proto(i as i32));
                }
            }
            15 if op == 0xff => return Some(r.0),
            _ => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut f = EventFilter::new();
    let mut r = Reader(data);
    let pkt = build(&mut r, &mut f).unwrap_or_default();
    match compile(&f) {
        Ok(prog) => {
            bpf::verify(&prog).expect("a compiled program passes the kernel's checks");
            let _ = bpf::run(&prog, pkt);
        }
        Err(e) => assert_eq!(e, netfilter_conntrack::Error::InvalidArgument),
    }
});
