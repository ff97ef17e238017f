//! SMTP submission (RFC 5321, 6409) from the Worker over its TCP socket: `EHLO`, `STARTTLS`
//! (RFC 3207) or TLS from the start, `AUTH PLAIN` or `LOGIN` (RFC 4954), one message to its
//! recipients, `QUIT`. Written here rather than taken from a crate: the SMTP crates (lettre,
//! mail-send) bring their own TCP and TLS stacks, which a Worker cannot use; the dialogue itself
//! is small. Every server reply is kept for the delivery log.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use worker::{SecureTransport, Socket};

use homeslot_core::mail::Security;

/// Where and how to submit.
pub struct Server<'a> {
    pub host: &'a str,
    pub port: u16,
    pub security: Security,
    pub login: Option<(&'a str, &'a str)>,
}

/// Why a message was not (or may not have been) sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// Not sent; worth trying again later (a connection that failed, a `4xx` reply).
    Temporary(String),
    /// Not sent; trying again will not help (a `5xx` reply: a refused address, a wrong password).
    Permanent(String),
    /// The message was handed over but the server's answer was lost: it may have been sent, so
    /// it is never sent again.
    Unknown(String),
}

type Lines = BufReader<Socket>;

/// Sends `message` (RFC 5322, CRLF line endings) from `from` to `to`. Answers the server's reply
/// to the message (`250 …`).
pub async fn send(server: &Server<'_>, from: &str, to: &[String], message: &[u8]) -> Result<String, Failure> {
    let transport = match server.security {
        Security::Tls => SecureTransport::On,
        Security::Starttls => SecureTransport::StartTls,
        Security::None => SecureTransport::Off,
    };
    let socket = Socket::builder()
        .secure_transport(transport)
        .connect(server.host, server.port)
        .map_err(|e| Failure::Temporary(format!("cannot connect to {}:{}: {e}", server.host, server.port)))?;
    let mut lines = BufReader::new(socket);
    expect(&mut lines, 220).await?;
    let mut extensions = hello(&mut lines).await?;
    if server.security == Security::Starttls {
        if !extensions.iter().any(|e| e.eq_ignore_ascii_case("STARTTLS")) {
            return Err(Failure::Permanent(
                "the server does not offer STARTTLS: nothing was sent in plain text".into(),
            ));
        }
        command(&mut lines, "STARTTLS", 220).await?;
        let socket = lines.into_inner().start_tls();
        lines = BufReader::new(socket);
        extensions = hello(&mut lines).await?;
    }
    if let Some((user, password)) = server.login {
        authenticate(&mut lines, &extensions, user, password).await?;
    }
    command(&mut lines, &format!("MAIL FROM:<{from}>"), 250).await?;
    for recipient in to {
        command(&mut lines, &format!("RCPT TO:<{recipient}>"), 250).await?;
    }
    command(&mut lines, "DATA", 354).await?;
    write(&mut lines, &dot_stuffed(message)).await?;
    // From here the server may have taken the message: a lost answer is not a reason to resend.
    let reply = match read_reply(&mut lines).await {
        Ok((250, text)) => text,
        Ok((code, text)) => return Err(classify(code, text)),
        Err(Failure::Temporary(why)) => return Err(Failure::Unknown(format!("no answer after the message: {why}"))),
        Err(other) => return Err(other),
    };
    // The message is through: a failed goodbye changes nothing.
    let _ = command(&mut lines, "QUIT", 221).await;
    Ok(reply)
}

async fn hello(lines: &mut Lines) -> Result<Vec<String>, Failure> {
    let text = command(lines, "EHLO homeslot", 250).await?;
    // The first line greets; each further line names an extension (`STARTTLS`, `AUTH PLAIN LOGIN`).
    Ok(text.lines().skip(1).map(|l| l.trim().to_string()).collect())
}

async fn authenticate(lines: &mut Lines, extensions: &[String], user: &str, password: &str) -> Result<(), Failure> {
    let mechanisms: Vec<String> = extensions
        .iter()
        .filter_map(|e| e.strip_prefix("AUTH ").or_else(|| e.strip_prefix("AUTH=")))
        .flat_map(|m| m.split_whitespace().map(str::to_ascii_uppercase))
        .collect();
    if mechanisms.iter().any(|m| m == "PLAIN") || mechanisms.is_empty() {
        let token = STANDARD.encode(format!("\0{user}\0{password}"));
        command(lines, &format!("AUTH PLAIN {token}"), 235).await?;
    } else if mechanisms.iter().any(|m| m == "LOGIN") {
        command(lines, "AUTH LOGIN", 334).await?;
        command(lines, &STANDARD.encode(user), 334).await?;
        command(lines, &STANDARD.encode(password), 235).await?;
    } else {
        return Err(Failure::Permanent(format!("the server offers no sign-in we speak ({})", mechanisms.join(" "))));
    }
    Ok(())
}

/// Sends one command line and expects `code`; answers the reply's text.
async fn command(lines: &mut Lines, line: &str, code: u16) -> Result<String, Failure> {
    write(lines, format!("{line}\r\n").as_bytes()).await?;
    expect(lines, code).await
}

async fn expect(lines: &mut Lines, code: u16) -> Result<String, Failure> {
    let (got, text) = read_reply(lines).await?;
    if got == code || (code == 250 && got == 251) {
        Ok(text)
    } else {
        Err(classify(got, text))
    }
}

fn classify(code: u16, text: String) -> Failure {
    if (400..500).contains(&code) {
        Failure::Temporary(text)
    } else {
        Failure::Permanent(text)
    }
}

async fn write(lines: &mut Lines, bytes: &[u8]) -> Result<(), Failure> {
    let socket = lines.get_mut();
    socket.write_all(bytes).await.map_err(|e| Failure::Temporary(format!("the connection failed: {e}")))?;
    socket.flush().await.map_err(|e| Failure::Temporary(format!("the connection failed: {e}")))
}

/// A reply: its code and its lines (`250-a`, `250 b` → `a\nb`, kept whole for the log).
async fn read_reply(lines: &mut Lines) -> Result<(u16, String), Failure> {
    let mut text = String::new();
    loop {
        let mut line = String::new();
        let n =
            lines.read_line(&mut line).await.map_err(|e| Failure::Temporary(format!("the connection failed: {e}")))?;
        if n == 0 {
            return Err(Failure::Temporary("the server closed the connection".into()));
        }
        let line = line.trim_end_matches(['\r', '\n']);
        let code = line.get(..3).and_then(|c| c.parse::<u16>().ok());
        let Some(code) = code else {
            return Err(Failure::Temporary(format!(
                "not an SMTP reply: {}",
                line.chars().take(80).collect::<String>()
            )));
        };
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(line);
        if line.as_bytes().get(3) != Some(&b'-') {
            return Ok((code, text));
        }
        if text.len() > 4096 {
            return Err(Failure::Temporary("an SMTP reply too long".into()));
        }
    }
}

/// The message as DATA sends it: a line starting with `.` gets another (RFC 5321 4.5.2), and the
/// end is `CRLF . CRLF`.
fn dot_stuffed(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 16);
    let mut at_line_start = true;
    for &byte in message {
        if at_line_start && byte == b'.' {
            out.push(b'.');
        }
        out.push(byte);
        at_line_start = byte == b'\n';
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b".\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::dot_stuffed;

    #[test]
    fn lines_starting_with_a_dot_are_stuffed() {
        assert_eq!(dot_stuffed(b"a\r\n.b\r\n..c"), b"a\r\n..b\r\n...c\r\n.\r\n".to_vec());
    }
}
