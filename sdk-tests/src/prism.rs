//! The Prism mock server (`prism mock`), run from the pinned install in `tools/prism`.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What Prism prints once it accepts requests.
const READY_LINE: &str = "Prism is listening on";
/// How long Prism may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Output lines kept for error messages.
const LOG_LINES: usize = 200;

/// A running Prism mock server for the spec. Killed, with every process it
/// started, when dropped.
///
/// Reads `PRISM_BIN` (default `<repo>/tools/prism/node_modules/.bin/prism`) and
/// `SPEC_PATH`, the document to mock, which `cargo xtask test` writes (Anthropic's with
/// the overlay applied). A missing binary or document is a test
/// failure, never a skip: `cargo xtask test` installs it.
pub struct Prism {
    child: Child,
    url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Prism {
    /// Starts Prism on a free port of 127.0.0.1 and waits until it listens.
    /// Panics (failing the test) if it cannot.
    pub fn start() -> Prism {
        let bin = std::env::var_os("PRISM_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| crate::repo_root().join("tools/prism/node_modules/.bin/prism"));
        let spec = std::env::var_os("SPEC_PATH")
            .map(PathBuf::from)
            .unwrap_or_default();
        assert!(
            bin.is_file(),
            "the Prism mock server is not installed at {} (PRISM_BIN). \
             Run `cargo xtask test`, which installs it (npm ci in tools/prism) and runs the tests.",
            bin.display()
        );
        assert!(
            spec.is_file(),
            "the document to mock is not at {:?} (SPEC_PATH). \
             Run `cargo xtask test`, which writes it from spec/ and runs the tests.",
            spec.display()
        );

        // The port is free when checked; another process could take it before Prism
        // binds, so try again on another port if Prism dies during startup.
        let mut failures = Vec::new();
        for _ in 0..3 {
            match Prism::try_start(&bin, &spec) {
                Ok(prism) => return prism,
                Err(message) => failures.push(message),
            }
        }
        panic!("Prism did not start:\n{}", failures.join("\n---\n"));
    }

    fn try_start(bin: &std::path::Path, spec: &std::path::Path) -> Result<Prism, String> {
        let port = free_port();
        let mut command = Command::new(bin);
        command
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Its own process group, so Drop can kill node and anything it spawned.
            command.process_group(0);
        }
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // Should this test process die without running Drop (killed, or Ctrl-C,
            // which the separate process group does not receive), Prism goes too.
            // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
            unsafe {
                command.pre_exec(|| {
                    if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;

        let log = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = mpsc::channel();
        // Both pipes are drained for Prism's whole life: it logs every request, and
        // a full pipe would block it.
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        spawn_reader(stdout, Arc::clone(&log), Some(ready_tx));
        spawn_reader(stderr, Arc::clone(&log), None);

        let mut prism = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
        };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            match ready_rx.recv_timeout(Duration::from_millis(100)) {
                Ok(()) => return Ok(prism),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    // stdout closed without the ready line.
                    std::thread::sleep(Duration::from_millis(100));
                    return Err(format!(
                        "Prism exited before listening ({:?}); output:\n{}",
                        prism.child.try_wait().ok().flatten(),
                        prism.output()
                    ));
                }
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!(
                    "Prism exited before listening ({status}); output:\n{}",
                    prism.output()
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Prism printed no `{READY_LINE}` within {START_TIMEOUT:?}; output:\n{}",
                    prism.output()
                ));
            }
        }
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A client for this server, with a test API key and no retries (a mock
    /// server's errors are deliberate).
    pub fn client(&self) -> anthropic_skills::Client {
        anthropic_skills::Client::builder()
            .base_url(self.url.clone())
            .api_key(crate::TEST_API_KEY)
            .max_retries(0)
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client for Prism")
    }

    /// Prism's recent output (stdout and stderr), for failure messages.
    pub fn output(&self) -> String {
        self.log.lock().map(|l| l.join("\n")).unwrap_or_default()
    }

    /// Whether the Prism process is still running (it crashes on some requests).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let pgid = self.child.id() as libc::pid_t;
            // SAFETY: plain syscalls on the process group this struct created.
            unsafe {
                libc::kill(-pgid, libc::SIGTERM);
            }
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            // Whatever is left of the group (node children included) goes now.
            // SAFETY: as above.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_reader(
    stream: impl Read + Send + 'static,
    log: Arc<Mutex<Vec<String>>>,
    ready: Option<mpsc::Sender<()>>,
) {
    std::thread::spawn(move || {
        let mut ready = ready;
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if line.contains(READY_LINE) {
                if let Some(tx) = ready.take() {
                    let _ = tx.send(());
                }
            }
            if let Ok(mut log) = log.lock() {
                if log.len() >= LOG_LINES {
                    log.remove(0);
                }
                log.push(line);
            }
        }
    });
}

/// A port of 127.0.0.1 that nothing listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0")
}
