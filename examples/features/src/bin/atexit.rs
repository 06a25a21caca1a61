//! `tiny::atexit(f)`, `f` printing a line.
#![no_std]
#![no_main]

fn bye() {
    tiny::print("bye\n");
}

#[tiny::main]
fn main() {
    let _ = tiny::atexit(bye);
}
