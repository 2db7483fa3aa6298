//! How an endpoint must be fetched to be fetched as Prometheus scrapes it:
//! its job's `tls_config` (CA, client certificate, server name, skip
//! verification), `basic_auth` (username + `password_file`) and
//! `authorization` (`credentials_file`), read once per job.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::promconfig::model::ScrapeConfig;

/// A resolved scrape security: TLS client settings and the Authorization
/// header value. The header is a secret: it is never printed (no Debug).
/// Why a job's TLS or auth cannot be set up, or a name cannot be verified.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum SecurityError {
    /// A CA, certificate, key or secret file that cannot be read or used.
    #[error("{0}")]
    File(String),
    /// A job's TLS settings that do not fit together.
    #[error("{0}")]
    Config(String),
    /// A server name that is not a DNS name or an IP address.
    #[error("{0}")]
    Name(String),
}

message_into_string!(SecurityError);

pub struct ScrapeSecurity {
    pub tls: Arc<rustls::ClientConfig>,
    /// `tls_config.server_name`: the name verified instead of the URL's host.
    pub server_name: Option<String>,
    /// The CA file used, to name it when verification fails.
    pub ca_file: Option<PathBuf>,
    authorization: Option<String>,
    /// Warnings about secret files others on the host can read.
    pub shared_secrets: Vec<String>,
}

impl std::fmt::Debug for ScrapeSecurity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScrapeSecurity")
            .field("server_name", &self.server_name)
            .field("ca_file", &self.ca_file)
            .field("authorization", &self.authorization.as_ref().map(|_| "***"))
            .finish()
    }
}

impl ScrapeSecurity {
    /// Plain scraping: system (webpki) roots, no auth.
    pub fn none() -> Arc<Self> {
        static NONE: OnceLock<Arc<ScrapeSecurity>> = OnceLock::new();
        NONE.get_or_init(|| {
            Arc::new(Self {
                tls: default_tls(),
                server_name: None,
                ca_file: None,
                authorization: None,
                shared_secrets: Vec::new(),
            })
        })
        .clone()
    }

    /// The `Authorization` header to send, if any.
    pub fn authorization(&self) -> Option<&str> {
        self.authorization.as_deref()
    }

    /// From a job of prometheus.yml; relative files are resolved against
    /// `base` (the config file's directory, as Prometheus does). Errors name
    /// the file and the key.
    pub(crate) fn from_job(job: &ScrapeConfig, base: &Path) -> Result<Arc<Self>, SecurityError> {
        Self::from_job_text(job, base).map_err(SecurityError::Config)
    }

    fn from_job_text(job: &ScrapeConfig, base: &Path) -> Result<Arc<Self>, String> {
        let path = |f: &str| base.join(f);
        let tls = job.tls_config.clone().unwrap_or_default();
        let nothing_special = tls.ca_file.is_none()
            && tls.cert_file.is_none()
            && tls.server_name.is_none()
            && !tls.insecure_skip_verify
            && job.basic_auth.is_none()
            && job.authorization.is_none();
        if nothing_special {
            return Ok(Self::none());
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS setup: {e}"))?;
        let builder = if tls.insecure_skip_verify {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnything(provider)))
        } else {
            builder.with_root_certificates(match &tls.ca_file {
                Some(ca) => load_roots(&path(ca))?,
                None => webpki_roots(),
            })
        };
        let config = match (&tls.cert_file, &tls.key_file) {
            (Some(cert), Some(key)) => {
                let (cert, key) = (path(cert), path(key));
                let chain = load_certs(&cert, "tls_config.cert_file")?;
                if chain.first().is_some_and(|c| is_x509_v1(c)) {
                    return Err(format!(
                        "tls_config.cert_file {}: an X.509 v1 certificate (made without extensions, as `openssl x509 -req` does by default); Prometheus presents it, but this tool's TLS stack (rustls) cannot: reissue it with extensions (openssl x509 -req … -extfile with extendedKeyUsage=clientAuth)",
                        cert.display()
                    ));
                }
                let key_der = PrivateKeyDer::from_pem_file(&key).map_err(|e| {
                    format!(
                        "tls_config.key_file {}: not a PEM private key ({e})",
                        key.display()
                    )
                })?;
                builder
                    .with_client_auth_cert(chain, key_der)
                    .map_err(|e| format!("client certificate {}: {e}", cert.display()))?
            }
            _ => builder.with_no_client_auth(),
        };
        let mut shared_secrets = Vec::new();
        let mut secret = |file: &str, key: &str| {
            let file = path(file);
            shared_secrets.extend(crate::redact::shared_secret(&file, key));
            read_secret(&file, key)
        };
        let authorization = match (&job.basic_auth, &job.authorization) {
            (Some(b), _) => {
                let password = secret(&b.password_file, "basic_auth.password_file")?;
                Some(basic_auth_header(&b.username, &password))
            }
            (None, Some(a)) => {
                let token = secret(&a.credentials_file, "authorization.credentials_file")?;
                Some(format!("{} {token}", a.kind))
            }
            (None, None) => None,
        };
        Ok(Arc::new(Self {
            tls: Arc::new(config),
            server_name: tls.server_name.clone(),
            ca_file: tls.ca_file.as_deref().map(path),
            authorization,
            shared_secrets,
        }))
    }

    /// The name to verify the server's certificate against.
    pub(crate) fn verify_name(&self, host: &str) -> Result<ServerName<'static>, SecurityError> {
        let name = self.server_name.as_deref().unwrap_or(host);
        ServerName::try_from(name.to_string())
            .map_err(|e| SecurityError::Name(format!("{name}: {e}")))
    }

    /// A TLS failure in operator terms: the reason and the CA used.
    pub(crate) fn explain_tls(&self, err: &std::io::Error) -> String {
        let text = err.to_string();
        let reason = if text.contains("UnknownIssuer") {
            "unknown issuer: the certificate is not signed by the CA in use"
        } else if text.contains("NotValidForName") {
            "the certificate is not valid for this host name (set tls_config.server_name / --tls-server-name?)"
        } else if text.contains("Expired") {
            "the certificate has expired"
        } else if text.contains("NotValidYet") {
            "the certificate is not valid yet"
        } else if text.contains("CertificateRequired") || text.contains("certificate required") {
            "the server requires a client certificate (--cert-file/--key-file)"
        } else if text.contains("UnsupportedCertVersion") {
            "the server's certificate is X.509 v1 (made without extensions, as `openssl x509 -req` does by default): Go's TLS, Prometheus', accepts it, this tool's (webpki) does not; reissue it with extensions (openssl x509 -req … -extfile with subjectAltName=…)"
        } else {
            ""
        };

        let ca = self.ca_file.as_ref().map_or_else(
            || "system roots".to_string(),
            |p| format!("CA file {}", p.display()),
        );
        if reason.is_empty() {
            format!("{text} (verified with {ca})")
        } else {
            format!("{reason} ({text}; verified with {ca})")
        }
    }
}

fn webpki_roots() -> rustls::RootCertStore {
    rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    }
}

fn default_tls() -> Arc<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map(|b| {
            b.with_root_certificates(webpki_roots())
                .with_no_client_auth()
        })
        .unwrap_or_else(|_| {
            // The ring provider supports the default versions; this branch
            // exists only so a build change cannot panic here.
            rustls::ClientConfig::builder()
                .with_root_certificates(rustls::RootCertStore::empty())
                .with_no_client_auth()
        });
    Arc::new(config)
}

/// Is this DER certificate X.509 v1? Its TBSCertificate then starts
/// with the serial number instead of the `[0]` version field.
fn is_x509_v1(der: &[u8]) -> bool {
    /// The contents of the DER SEQUENCE at the start of `b`.
    fn sequence(b: &[u8]) -> Option<&[u8]> {
        let (&tag, rest) = b.split_first()?;
        if tag != 0x30 {
            return None;
        }
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |l, &b| l << 8 | usize::from(b));
            (len, &rest[n..])
        };
        rest.get(..len)
    }
    sequence(der)
        .and_then(sequence)
        .and_then(|tbs| tbs.first())
        .is_some_and(|&tag| tag != 0xa0)
}

pub(crate) fn load_certs(
    path: &Path,
    key: &str,
) -> Result<Vec<CertificateDer<'static>>, SecurityError> {
    let bytes = crate::input::read_bytes(crate::input::Purpose::Secret, path).map_err(|e| {
        SecurityError::File(format!("{key} {}: cannot read it: {e}", path.display()))
    })?;
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|e| SecurityError::File(format!("{key} {}: not PEM ({e})", path.display())))?;
    if certs.is_empty() {
        return Err(SecurityError::File(format!(
            "{key} {}: not a PEM certificate (no BEGIN CERTIFICATE block)",
            path.display()
        )));
    }
    Ok(certs)
}

pub(crate) fn load_roots(path: &Path) -> Result<rustls::RootCertStore, SecurityError> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in load_certs(path, "tls_config.ca_file")? {
        roots.add(cert).map_err(|e| {
            SecurityError::File(format!("tls_config.ca_file {}: {e}", path.display()))
        })?;
    }
    Ok(roots)
}

pub(crate) fn read_secret(path: &Path, key: &str) -> Result<String, SecurityError> {
    crate::input::read_text(crate::input::Purpose::Secret, path)
        .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
        .map_err(|e| SecurityError::File(format!("{key} {}: cannot read it: {e}", path.display())))
}

/// The `Authorization` value of HTTP basic auth.
pub(crate) fn basic_auth_header(user: &str, password: &str) -> String {
    format!("Basic {}", base64(format!("{user}:{password}").as_bytes()))
}

/// Standard base64 (RFC 4648, with padding), for the Basic scheme.
fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `insecure_skip_verify: true`: any certificate is accepted, as Prometheus
/// does; the handshake signatures are still checked.
#[derive(Debug)]
struct AcceptAnything(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for AcceptAnything {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"admin:s3cret"), "YWRtaW46czNjcmV0");
    }

    #[test]
    fn plain_jobs_share_the_default() {
        let job = ScrapeConfig::default();
        let a = ScrapeSecurity::from_job(&job, Path::new(".")).unwrap();
        assert!(Arc::ptr_eq(&a, &ScrapeSecurity::none()));
        assert!(a.authorization().is_none());
    }

    #[test]
    fn bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), "not pem").unwrap();
        let job = ScrapeConfig {
            tls_config: Some(crate::promconfig::model::TlsConfig {
                ca_file: Some("ca.pem".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        let err = ScrapeSecurity::from_job(&job, dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ca.pem") && err.contains("not a PEM certificate"),
            "{err}"
        );
    }
}
