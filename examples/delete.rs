//! Deletes the entries that match a filter, printing each, as
//! `conntrack -D` does. The kernel selects by mark (a dump filter); the
//! protocol and destination are checked here.
//!
//! Usage: delete [--netns PATH] [--mark VALUE[/MASK]] [--proto NUM] [--dst ADDR]
//! At least one condition is needed.

use std::net::IpAddr;

use netfilter_conntrack::ctnetlink::{Flow, Handle, Result};
use netfilter_conntrack::filter::dump::{DumpFilter, Value};
use netfilter_conntrack::filter::MarkMatch;

/// `println!` that ends the program quietly once stdout is closed (the
/// reader, `head` or a pager, has quit).
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write;
        if writeln!(std::io::stdout(), $($t)*).is_err() {
            std::process::exit(0);
        }
    }};
}

fn usage() -> ! {
    eprintln!("usage: delete [--netns PATH] [--mark VALUE[/MASK]] [--proto NUM] [--dst ADDR]");
    std::process::exit(2)
}

fn number(s: &str) -> u32 {
    let r = match s.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => s.parse(),
    };
    r.unwrap_or_else(|_| usage())
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let mut netns = None;
    let mut filter = DumpFilter::new();
    let (mut any, mut proto, mut dst) = (false, None, None::<IpAddr>);
    while let Some(a) = args.next() {
        let v = args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--netns" => netns = Some(v),
            "--mark" => {
                let (val, mask) = v.split_once('/').unwrap_or((&v, "0xffffffff"));
                filter.set(Value::Mark(MarkMatch {
                    val: number(val),
                    mask: number(mask),
                }));
                any = true;
            }
            "--proto" => proto = Some(number(&v) as u8),
            "--dst" => dst = Some(v.parse().unwrap_or_else(|_| usage())),
            _ => usage(),
        }
    }
    if !any && proto.is_none() && dst.is_none() {
        usage();
    }
    let mut h = match netns {
        Some(path) => {
            let ns = std::fs::File::open(&path).unwrap_or_else(|e| {
                eprintln!("{path}: {e}");
                std::process::exit(1)
            });
            Handle::open_in(&ns)?
        }
        None => Handle::open()?,
    };
    // Collect first: the handle answers one request at a time.
    let matching: Vec<Flow> = h
        .dump_filtered(&filter)?
        .filter_map(|f| f.ok())
        .filter(|f| proto.is_none_or(|p| f.orig.protocol.number() == p))
        .filter(|f| dst.is_none_or(|d| f.orig.dst == d))
        .collect();
    let mut deleted = 0;
    for flow in &matching {
        match h.delete_flow(flow) {
            Ok(()) => {
                say!("{flow}");
                deleted += 1;
            }
            // Gone in the meantime.
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    eprintln!("{deleted} flow entries have been deleted.");
    Ok(())
}
