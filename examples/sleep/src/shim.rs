//! TEMPORARY: a stand-in for `tiny::syscall!`/`tiny::try_syscall!` (same API) until the macro
//! lands on main; removed then.
#![allow(unused_macros, dead_code)]

macro_rules! nr {
    (umask) => {
        tiny::sys::__NR_umask
    };
    (mkdir) => {
        tiny::sys::__NR_mkdir
    };
    (chmod) => {
        tiny::sys::__NR_chmod
    };
    (access) => {
        tiny::sys::__NR_access
    };
    (stat) => {
        tiny::sys::__NR_stat
    };
    (nanosleep) => {
        tiny::sys::__NR_nanosleep
    };
    (getcwd) => {
        tiny::sys::__NR_getcwd
    };
    (getpid) => {
        tiny::sys::__NR_getpid
    };
}

macro_rules! syscall {
    ($name:ident $(,)?) => {
        $crate::shim::raw(nr!($name) as usize, 0, 0, 0)
    };
    ($name:ident, $a:expr $(,)?) => {
        $crate::shim::raw(
            nr!($name) as usize,
            tiny::sys::IntoWord::into_word($a),
            0,
            0,
        )
    };
    ($name:ident, $a:expr, $b:expr $(,)?) => {
        $crate::shim::raw(
            nr!($name) as usize,
            tiny::sys::IntoWord::into_word($a),
            tiny::sys::IntoWord::into_word($b),
            0,
        )
    };
    ($name:ident, $a:expr, $b:expr, $c:expr $(,)?) => {
        $crate::shim::raw(
            nr!($name) as usize,
            tiny::sys::IntoWord::into_word($a),
            tiny::sys::IntoWord::into_word($b),
            tiny::sys::IntoWord::into_word($c),
        )
    };
}

macro_rules! try_syscall {
    ($name:ident $(, $arg:expr)* $(,)?) => {
        $crate::shim::check(syscall!($name $(, $arg)*))
    };
}

#[inline(always)]
pub unsafe fn raw(nr: usize, a: usize, b: usize, c: usize) -> isize {
    let ret: isize;
    unsafe {
        core::arch::asm!("syscall", inlateout("rax") nr as isize => ret, in("rdi") a, in("rsi") b, in("rdx") c, lateout("rcx") _, lateout("r11") _, options(nostack));
    }
    ret
}

#[inline(always)]
pub fn check(ret: isize) -> Result<usize, tiny::Errno> {
    if ret < 0 {
        Err(tiny::Errno::new(-ret as i32))
    } else {
        Ok(ret as usize)
    }
}
