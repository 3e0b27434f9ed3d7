//! The native `packkit` executable: the same command line as `python -m packkit`, without
//! starting Python (a wheel installs it into the environment's scripts folder; see
//! build_backend/packkit_build_backend.py). Only `packkit status` and `packkit migrate
//! --verify` start an interpreter, the one of the environment it is installed in.

use _packkit::cli;
use _packkit::interpreter::Interpreter;

fn main() {
    stop_gracefully_on_interrupt();
    let args: Vec<String> = match std::env::args_os()
        .map(std::ffi::OsString::into_string)
        .collect()
    {
        Ok(args) => args,
        Err(arg) => {
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!(
                    "error: an argument is not valid UTF-8: {}\n",
                    arg.to_string_lossy()
                )
                .as_bytes(),
            );
            std::process::exit(2);
        }
    };
    let interpreter = Interpreter::beside(std::env::current_exe().ok());
    let code = cli::run(args, &interpreter);
    if code == 130 && _packkit::interrupt::check().is_err() {
        // The engine stopped between files and removed what it was writing.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), b"packkit: interrupted\n");
    }
    std::process::exit(code);
}

/// The first Ctrl-C asks the engine to stop at its next check, which removes what it was
/// writing (exit status 130, as under Python); a second one ends the process at once.
#[cfg(unix)]
fn stop_gracefully_on_interrupt() {
    extern "C" fn on_interrupt(_: libc::c_int) {
        _packkit::interrupt::request();
        // Only async-signal-safe calls here: an atomic store and signal(2).
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
        }
    }
    let handler: extern "C" fn(libc::c_int) = on_interrupt;
    unsafe {
        libc::signal(libc::SIGINT, handler as libc::sighandler_t);
    }
}

#[cfg(not(unix))]
fn stop_gracefully_on_interrupt() {}
