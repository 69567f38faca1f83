"""Python's Solana clients (solana-py and solders, which this project does
not use itself) against `backstop localnet`: a forged signature and a missing
signer are refused, as a validator refuses them, and nothing moves; a real
transfer lands, its subscriptions fire (account, logs, signature, slot,
root), and the node's token queries answer in the cluster's shapes.

    target/py/bin/python -m unittest discover -s tests/py -v

BACKSTOP_BIN overrides the binary (default: target/debug/backstop).
"""

import asyncio
import json
import os
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

from solana.rpc.async_api import AsyncClient
from solana.rpc.core import RPCException
from solana.rpc.models import TokenAccountOpts, TxOpts
from solana.rpc.websocket_api import SolanaWsClient
from solders.keypair import Keypair
from solders.message import Message
from solders.pubkey import Pubkey
from solders.rpc.config import RpcTransactionLogsFilterMentions
from solders.rpc.errors import RpcCustomErrorFieldless
from solders.rpc.responses import (
    AccountNotification,
    LogsNotification,
    RootNotification,
    SignatureNotification,
    SlotNotification,
)
from solders.signature import Signature
from solders.system_program import TransferParams, transfer
from solders.transaction import Transaction, VersionedTransaction

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("BACKSTOP_BIN", str(ROOT / "target/debug/backstop"))


def free_port_pair() -> int:
    """A free loopback port whose successor (the websocket) is free too."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue


def is_signature_failure(e: RPCException) -> bool:
    """Whether solders parsed the error as a validator's -32003 (a typed
    error: its parser matches the code and the message)."""
    return e.args[0] == RpcCustomErrorFieldless.TransactionSignatureVerificationFailure


def healthy(url: str) -> bool:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "getHealth"}).encode()
    request = urllib.request.Request(url, body, {"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as reply:
            return json.load(reply).get("result") == "ok"
    except OSError:
        return False


class LocalnetWithPythonClients(unittest.IsolatedAsyncioTestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.admin = Keypair()
        path = Path(cls.dir.name) / "admin.json"
        path.write_text(json.dumps(list(bytes(cls.admin))))
        cls.port = free_port_pair()
        cls.log = open(Path(cls.dir.name) / "node.log", "w+")
        cls.node = subprocess.Popen(
            [BIN, "localnet", "--port", str(cls.port), "--keypair", str(path)],
            stdout=cls.log,
            stderr=subprocess.STDOUT,
        )
        cls.url = f"http://127.0.0.1:{cls.port}"
        deadline = time.time() + 90
        while time.time() < deadline:
            cls.log.seek(0)
            banner = cls.log.read()
            if "demo mint:" in banner and healthy(cls.url):
                break
            if cls.node.poll() is not None:
                raise RuntimeError(f"backstop localnet exited:\n{banner}")
            time.sleep(0.25)
        else:
            raise RuntimeError("backstop localnet did not start within 90 s")
        cls.demo_mint = Pubkey.from_string(banner.split("demo mint: ")[1].split()[0])

    @classmethod
    def tearDownClass(cls):
        cls.node.terminate()
        cls.node.wait(timeout=10)
        cls.log.close()
        cls.dir.cleanup()

    async def asyncSetUp(self):
        self.client = AsyncClient(self.url)

    async def asyncTearDown(self):
        await self.client.close()

    async def transfer_message(self, to: Pubkey, lamports: int) -> Message:
        blockhash = (await self.client.get_latest_blockhash()).value.blockhash
        ix = transfer(TransferParams(from_pubkey=self.admin.pubkey(), to_pubkey=to, lamports=lamports))
        return Message.new_with_blockhash([ix], self.admin.pubkey(), blockhash)

    async def balance(self, key: Pubkey) -> int:
        return (await self.client.get_balance(key)).value

    async def assert_refused(self, tx: Transaction):
        with self.assertRaises(RPCException) as refused:
            await self.client.send_raw_transaction(bytes(tx), opts=TxOpts(skip_preflight=False))
        self.assertTrue(is_signature_failure(refused.exception), refused.exception)

    async def test_a_forged_signature_is_refused_and_nothing_moves(self):
        thief = Keypair().pubkey()
        before = await self.balance(self.admin.pubkey())
        message = await self.transfer_message(thief, 5_000_000_000)
        forged = Transaction.populate(message, [Signature(bytes([7] * 64))])
        await self.assert_refused(forged)
        # simulateTransaction with sigVerify refuses it too
        versioned = VersionedTransaction.populate(message, [Signature(bytes([7] * 64))])
        with self.assertRaises(RPCException) as simulated:
            await self.client.simulate_transaction(versioned, sig_verify=True)
        self.assertTrue(is_signature_failure(simulated.exception), simulated.exception)
        # skipPreflight: the signature comes back, the transaction is dropped
        sent = await self.client.send_raw_transaction(bytes(forged), opts=TxOpts(skip_preflight=True))
        self.assertIsNone((await self.client.get_signature_statuses([sent.value])).value[0])
        self.assertEqual(await self.balance(thief), 0)
        self.assertEqual(await self.balance(self.admin.pubkey()), before)

    async def test_a_missing_signer_is_refused(self):
        thief = Keypair().pubkey()
        message = await self.transfer_message(thief, 1_000_000)
        await self.assert_refused(Transaction.populate(message, [Signature.default()]))
        self.assertEqual(await self.balance(thief), 0)

    async def test_a_signed_transfer_lands_and_reads_back(self):
        to = Keypair().pubkey()
        message = await self.transfer_message(to, 1_000_000)
        tx = Transaction([self.admin], message, message.recent_blockhash)
        sent = await self.client.send_raw_transaction(bytes(tx), opts=TxOpts(skip_preflight=False))
        await self.client.confirm_transaction(sent.value, commitment="confirmed")
        self.assertEqual(await self.balance(to), 1_000_000)
        read = (await self.client.get_transaction(sent.value, encoding="json")).value
        meta = read.transaction.meta
        self.assertIsNone(meta.err)
        self.assertEqual(meta.fee, 5_000)
        keys = [str(k) for k in read.transaction.transaction.message.account_keys]
        i = keys.index(str(to))
        self.assertEqual(meta.post_balances[i] - meta.pre_balances[i], 1_000_000)
        self.assertGreater(read.slot, 0)

    async def test_subscriptions_fire_on_a_transfer_and_on_new_slots(self):
        to = Keypair().pubkey()
        async with SolanaWsClient(f"ws://127.0.0.1:{self.port + 1}") as ws:
            account = await ws.account_subscribe(pubkey=to, commitment="confirmed", encoding="base64")
            logs = await ws.logs_subscribe(filter_=RpcTransactionLogsFilterMentions(to), commitment="confirmed")
            slot = await ws.slot_subscribe()
            root = await ws.root_subscribe()
            message = await self.transfer_message(to, 2_000_000)
            tx = Transaction([self.admin], message, message.recent_blockhash)
            signature = (await self.client.send_raw_transaction(bytes(tx))).value
            status = await ws.signature_subscribe(signature=signature, commitment="confirmed")
            seen = {}
            async with asyncio.timeout(10):
                while len(seen) < 5:
                    note = await ws.recv()
                    seen.setdefault(type(note), note)
        self.assertEqual(seen[AccountNotification].subscription, account.subscription_id)
        self.assertEqual(seen[AccountNotification].result.value.lamports, 2_000_000)
        self.assertEqual(seen[LogsNotification].subscription, logs.subscription_id)
        self.assertEqual(seen[LogsNotification].result.value.signature, signature)
        self.assertIsNone(seen[LogsNotification].result.value.err)
        self.assertEqual(seen[SignatureNotification].subscription, status.subscription_id)
        self.assertIsNone(seen[SignatureNotification].result.value.err)
        self.assertEqual(seen[SlotNotification].subscription, slot.subscription_id)
        self.assertEqual(seen[SlotNotification].result.parent + 1, seen[SlotNotification].result.slot)
        self.assertEqual(seen[RootNotification].subscription, root.subscription_id)

    async def test_token_queries_answer_in_the_clusters_shapes(self):
        owner = self.admin.pubkey()
        accounts = (
            await self.client.get_token_accounts_by_owner_json_parsed(owner, TokenAccountOpts(mint=self.demo_mint))
        ).value
        self.assertEqual(len(accounts), 1)
        info = accounts[0].account.data.parsed["info"]
        self.assertEqual(info["mint"], str(self.demo_mint))
        self.assertEqual(info["owner"], str(owner))
        self.assertEqual(info["tokenAmount"]["decimals"], 6)
        self.assertEqual(info["tokenAmount"]["amount"], "1000000000000")
        supply = (await self.client.get_token_supply(self.demo_mint)).value
        self.assertEqual(supply.amount, "1000000000000")
        largest = (await self.client.get_token_largest_accounts(self.demo_mint)).value
        self.assertEqual(largest[0].address, accounts[0].pubkey)
        self.assertEqual(largest[0].amount.amount, "1000000000000")
        balance = (await self.client.get_token_account_balance(accounts[0].pubkey)).value
        self.assertEqual(balance.ui_amount_string, "1000000")


if __name__ == "__main__":
    unittest.main()
