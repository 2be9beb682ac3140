//! Lists the conntrack table, one entry a line in the text of
//! `conntrack -L` (nfct_snprintf's default format), streaming: the table is
//! never held in memory.
//!
//! Usage: list [--netns PATH] [--expect] [--stats] [--json]
//!   --netns PATH  the network namespace of PATH (/run/netns/NAME)
//!   --expect      list the expectations instead
//!   --stats       print the table's size and per-CPU counters after it
//!   --json        one JSON object per entry (build with --features serde)

use netfilter_conntrack::ctnetlink::{Handle, Result};

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

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut netns, mut expect, mut stats, mut json) = (None, false, false, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--netns" => netns = args.next(),
            "--expect" => expect = true,
            "--stats" => stats = true,
            "--json" => json = true,
            _ => {
                eprintln!("usage: list [--netns PATH] [--expect] [--stats] [--json]");
                std::process::exit(2);
            }
        }
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
    let mut n = 0;
    if expect {
        for exp in h.dump_expectations()? {
            let exp = exp?;
            if json {
                print_json(&exp);
            } else {
                say!("{exp}");
            }
            n += 1;
        }
    } else {
        for flow in h.dump()? {
            let flow = flow?;
            if json {
                print_json(&flow);
            } else {
                say!("{flow}");
            }
            n += 1;
        }
    }
    eprintln!("{n} entries");
    if stats {
        let s = h.stats()?;
        say!("entries {} max {}", s.entries, s.max_entries);
        for c in h.cpu_stats()? {
            say!(
                "cpu={} found={} invalid={} insert={} insert_failed={} drop={} early_drop={} error={} search_restart={}",
                c.cpu, c.found, c.invalid, c.insert, c.insert_failed, c.drop, c.early_drop, c.error, c.search_restart
            );
        }
    }
    Ok(())
}

#[cfg(feature = "serde")]
fn print_json<T: serde::Serialize>(v: &T) {
    match serde_json::to_string(v) {
        Ok(s) => say!("{s}"),
        Err(e) => eprintln!("json: {e}"),
    }
}

#[cfg(not(feature = "serde"))]
fn print_json<T>(_: &T) {
    eprintln!("--json needs the example built with --features serde");
    std::process::exit(2);
}
