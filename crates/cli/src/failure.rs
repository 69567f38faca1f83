//! What went wrong, in four kinds a user acts on differently: the node cannot
//! be reached, an account does not exist, the program refused, the
//! transaction expired. Each names the URL or the account and what to do.

use std::fmt;

use backstop_client::errors::{TransactionError, error_name};
use solana_instruction::error::InstructionError;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind};
use solana_rpc_client_api::request::RpcError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer from the node (connection refused, timed out, DNS).
    Unreachable { url: String, cause: String },
    /// The account is not on the cluster.
    AccountMissing {
        url: String,
        account: String,
        what: String,
        hint: String,
    },
    /// A program (Backstop, a token program, the runtime) refused the transaction.
    Refused {
        name: String,
        code: Option<u32>,
        message: Option<String>,
        instruction: Option<u8>,
    },
    /// The blockhash expired before the transaction was confirmed.
    Expired { url: String, signature: String },
    /// The node answered with some other error.
    Rpc {
        url: String,
        doing: String,
        error: String,
    },
}

impl Failure {
    /// A short name, for the keeper's error counters.
    pub fn name(&self) -> String {
        match self {
            Failure::Unreachable { .. } => "NodeUnreachable".into(),
            Failure::AccountMissing { .. } => "AccountNotFound".into(),
            Failure::Refused { name, .. } => name.clone(),
            Failure::Expired { .. } => "TransactionExpired".into(),
            Failure::Rpc { .. } => "RpcError".into(),
        }
    }

    /// The failure of an RPC call made while `doing` something.
    pub fn from_client(url: &str, doing: &str, e: &ClientError) -> Failure {
        if let Some(te) = e.get_transaction_error() {
            return Failure::refused(&te, url, "");
        }
        match e.kind() {
            ErrorKind::Reqwest(r) if r.is_connect() || r.is_timeout() || r.is_request() => {
                Failure::Unreachable {
                    url: url.into(),
                    cause: root_cause(r),
                }
            }
            ErrorKind::Io(io) => Failure::Unreachable {
                url: url.into(),
                cause: io.to_string(),
            },
            ErrorKind::RpcError(RpcError::ForUser(m)) if m.contains("unable to confirm") => {
                Failure::Expired {
                    url: url.into(),
                    signature: String::new(),
                }
            }
            _ => Failure::Rpc {
                url: url.into(),
                doing: doing.into(),
                error: e.to_string(),
            },
        }
    }

    /// A refused transaction: the custom code named as in the IDL, with the
    /// program's message.
    pub fn refused(te: &TransactionError, url: &str, signature: &str) -> Failure {
        match te {
            TransactionError::BlockhashNotFound => Failure::Expired {
                url: url.into(),
                signature: signature.into(),
            },
            TransactionError::InstructionError(i, InstructionError::Custom(code)) => {
                Failure::Refused {
                    name: error_name(*code).unwrap_or_else(|| format!("Custom({code})")),
                    code: Some(*code),
                    message: crate::idl::error_message(*code),
                    instruction: Some(*i),
                }
            }
            TransactionError::InstructionError(i, e) => Failure::Refused {
                name: format!("{e:?}"),
                code: None,
                message: None,
                instruction: Some(*i),
            },
            e => Failure::Refused {
                name: format!("{e:?}"),
                code: None,
                message: None,
                instruction: None,
            },
        }
    }
}

/// The innermost cause of a reqwest error ("Connection refused (os error 111)").
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Unreachable { url, cause } => write!(
                f,
                "cannot reach the node at {url} ({cause}): is a validator (or `backstop \
                 localnet`) running there? Check --url or json_rpc_url in the config file"
            ),
            Failure::AccountMissing {
                url,
                account,
                what,
                hint,
            } => write!(f, "{what} {account} does not exist on {url}: {hint}"),
            Failure::Refused {
                name,
                code,
                message,
                instruction,
            } => {
                write!(f, "the program refused: {name}")?;
                if let Some(code) = code {
                    write!(f, " (error {code})")?;
                }
                if let Some(m) = message {
                    write!(f, ": {m}")?;
                }
                if let Some(i) = instruction {
                    write!(f, " [instruction {i} of the transaction]")?;
                }
                Ok(())
            }
            Failure::Expired { url, signature } => write!(
                f,
                "the transaction {} expired before {url} confirmed it (its blockhash is no \
                 longer valid): it may not have landed; check with `solana confirm -u {url} \
                 SIGNATURE` and send again, with a higher --with-compute-unit-price if the \
                 cluster is congested",
                if signature.is_empty() {
                    "sent"
                } else {
                    signature
                }
            ),
            Failure::Rpc { url, doing, error } => {
                write!(
                    f,
                    "the node at {url} answered {doing} with an error: {error}"
                )
            }
        }
    }
}

impl std::error::Error for Failure {}

/// The keeper's name for any error: the failure's, else "Other".
pub fn name_of(e: &anyhow::Error) -> String {
    e.downcast_ref::<Failure>()
        .map(Failure::name)
        .unwrap_or_else(|| "Other".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_kinds_four_messages() {
        let url = "http://127.0.0.1:1";
        let refused = Failure::refused(
            &TransactionError::InstructionError(1, InstructionError::Custom(6022)),
            url,
            "",
        );
        assert_eq!(refused.name(), "CooldownNotElapsed");
        assert_eq!(
            refused.to_string(),
            "the program refused: CooldownNotElapsed (error 6022): The unstake cooldown has \
             not elapsed [instruction 1 of the transaction]"
        );
        let expired = Failure::refused(&TransactionError::BlockhashNotFound, url, "5ig");
        assert!(
            expired
                .to_string()
                .starts_with("the transaction 5ig expired before http://127.0.0.1:1 confirmed it")
        );
        let e: ClientError = ErrorKind::RpcError(RpcError::ForUser(
            "unable to confirm transaction. This can happen in situations such as transaction \
             expiration and insufficient fee-payer funds"
                .into(),
        ))
        .into();
        assert_eq!(
            Failure::from_client(url, "x", &e).name(),
            "TransactionExpired"
        );
        let io: ClientError = ErrorKind::Io(std::io::ErrorKind::ConnectionRefused.into()).into();
        let f = Failure::from_client(url, "getAccountInfo", &io);
        assert_eq!(f.name(), "NodeUnreachable");
        assert!(
            f.to_string()
                .starts_with("cannot reach the node at http://127.0.0.1:1 (")
        );
        let missing = Failure::AccountMissing {
            url: url.into(),
            account: "M1nt".into(),
            what: "mint".into(),
            hint: "check --mint".into(),
        };
        assert_eq!(
            missing.to_string(),
            "mint M1nt does not exist on http://127.0.0.1:1: check --mint"
        );
    }
}
