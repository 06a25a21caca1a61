//! A test program (`tests/tests/windows.rs`, `nt_calls_in_every_mode`) that calls ntdll
//! functions the runtime does not use, through `tiny::nt!`: sleeps 300 ms
//! (`NtDelayExecution`), measured with `NtQuerySystemTime`; reads `NtQueryPerformanceCounter`;
//! creates the directory the NT path `argv[1]` names with `NtCreateFile` (`FILE_CREATE`,
//! `FILE_DIRECTORY_FILE`, 11 arguments) twice: the second time it exists. Prints each status
//! (and the time slept, in ms) as 16 hex digits.
#![no_std]
#![no_main]

#[repr(C)]
struct UnicodeString {
    len: u16,
    max: u16,
    buf: *const u16,
}

#[repr(C)]
struct ObjectAttributes {
    len: u32,
    root: usize,
    name: *const UnicodeString,
    attributes: u32,
    security_descriptor: usize,
    security_qos: usize,
}

fn line(what: &str, n: u64) {
    tiny::print(what);
    let mut digits = [0u8; 16];
    for (i, d) in digits.iter_mut().enumerate() {
        let nibble = (n >> (60 - 4 * i)) & 0xF;
        *d = b"0123456789abcdef"[nibble as usize];
    }
    tiny::print_bytes(&digits);
    tiny::print("\n");
}

fn create_dir(path: &[u16]) -> i32 {
    let name = UnicodeString {
        len: (2 * path.len()) as u16,
        max: (2 * path.len()) as u16,
        buf: path.as_ptr(),
    };
    let attributes = ObjectAttributes {
        len: size_of::<ObjectAttributes>() as u32,
        root: 0,
        name: &name,
        attributes: 0x40, // OBJ_CASE_INSENSITIVE
        security_descriptor: 0,
        security_qos: 0,
    };
    let (mut handle, mut iosb) = (0usize, [0usize; 2]);
    // SAFETY: every pointer is to a live local; synchronous I/O, nothing is written later.
    let status = unsafe {
        tiny::nt!(NtCreateFile(
            &mut handle,
            0x0010_0001u32, // FILE_LIST_DIRECTORY | SYNCHRONIZE
            &attributes,
            &mut iosb,
            0usize,  // AllocationSize
            0x80u32, // FILE_ATTRIBUTE_NORMAL
            3u32,    // FILE_SHARE_READ | FILE_SHARE_WRITE
            2u32,    // FILE_CREATE
            0x21u32, // FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT
            0usize,  // EaBuffer
            0u32     // EaLength
        ))
    };
    if status >= 0 {
        // SAFETY: the handle was just opened; closing it touches no memory of ours.
        let closed = unsafe { tiny::nt!(NtClose(handle)) };
        line("close ", closed as u32 as u64);
    }
    status
}

#[tiny::main]
fn main() -> i32 {
    let (mut t0, mut t1) = (0i64, 0i64);
    let interval: i64 = -3_000_000; // 300 ms, relative, in 100 ns units
    // SAFETY: the time is written to a live local.
    unsafe { tiny::nt!(NtQuerySystemTime(&mut t0)) };
    // SAFETY: the interval is read from a live local.
    let slept = unsafe { tiny::nt!(NtDelayExecution(false, &interval)) };
    // SAFETY: as above.
    unsafe { tiny::nt!(NtQuerySystemTime(&mut t1)) };
    line("delay ", slept as u32 as u64);
    line("elapsed-ms ", ((t1 - t0) / 10_000) as u64);
    let (mut counter, mut frequency) = (0i64, 0i64);
    // SAFETY: both are written to live locals.
    let status = unsafe { tiny::nt!(NtQueryPerformanceCounter(&mut counter, &mut frequency)) };
    line("counter ", status as u32 as u64);
    line("frequency-nonzero ", (frequency > 0) as u64);
    let mut path = [0u16; 512];
    let mut n = 0;
    for &b in tiny::operands().next().unwrap_or(b"") {
        if n < path.len() {
            path[n] = u16::from(b);
            n += 1;
        }
    }
    line("create ", create_dir(&path[..n]) as u32 as u64);
    line("create-again ", create_dir(&path[..n]) as u32 as u64);
    0
}
