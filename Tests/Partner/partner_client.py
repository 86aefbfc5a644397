"""A partner country's client, written from Docs/Protocol.md alone (§10): it fetches the hub's
signed federation configuration over mutual TLS and verifies it, then checks inclusion proofs of
the hub's message log offline. Python's ssl, the `cryptography` package and joserfc; nothing of
Accord.

Input (JSON on stdin): host, port, hub (the pinned hub participant ID), ca (federation CA PEM),
certificate and key (this node's TLS certificate and key, PEM), message (base64 of a message
this node sent), proofs (inclusion proofs as `accord log prove` writes them).
Output (JSON): the verified configuration's serial and hub, each participant's signer
certificate fingerprints, and for each proof whether it holds.
"""
import base64, datetime, hashlib, json, os, socket, ssl, sys, tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from joserfc import jws
from joserfc.jwk import ECKey

request = json.load(sys.stdin)
ca = x509.load_pem_x509_certificate(request["ca"].encode())


def fail(why):
    print(json.dumps({"error": why}))
    sys.exit(1)


def get(path):
    """One HTTP/1.1 request over mutual TLS 1.3 (§10: client certificate of the federation CA)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.check_hostname = False  # the peer is named by its certificate's participant URI, checked below
    context.load_verify_locations(cadata=request["ca"])
    with tempfile.TemporaryDirectory() as directory:
        certificate, key = os.path.join(directory, "c.pem"), os.path.join(directory, "k.pem")
        open(certificate, "w").write(request["certificate"])
        open(key, "w").write(request["key"])
        context.load_cert_chain(certificate, key)
    with socket.create_connection((request["host"], request["port"]), timeout=10) as raw:
        with context.wrap_socket(raw) as tls:
            peer = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
            tls.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % (path, request["host"])).encode())
            data = b""
            while True:
                chunk = tls.recv(65536)
                if not chunk:
                    break
                data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, body, peer


def participant_of(certificate):
    uris = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.UniformResourceIdentifier)
    named = [u[len("urn:accord:participant:"):] for u in uris if u.startswith("urn:accord:participant:")]
    return named[0] if len(named) == 1 else None


def issued_by_ca(certificate):
    ca.public_key().verify(certificate.signature, certificate.tbs_certificate_bytes, ec.ECDSA(certificate.signature_hash_algorithm))
    now = datetime.datetime.now(datetime.timezone.utc)
    return certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc


# §10: the configuration answer is {"jws", "signerCertificatePEM"}.
status, body, peer = get("/federation/v1/configuration")
if status != 200:
    fail("configuration answer %d" % status)
if participant_of(peer) != request["hub"]:
    fail("the TLS peer is %s, not the pinned hub" % participant_of(peer))
answer = json.loads(body)
signer = x509.load_pem_x509_certificate(answer["signerCertificatePEM"].encode())
if not issued_by_ca(signer) or participant_of(signer) != request["hub"]:
    fail("the configuration's signer is not a current certificate of the pinned hub")
if not signer.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature:
    fail("the signer certificate may not sign")
signer_key = signer.public_key()
jwk = ECKey.import_key(signer_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode())
token = jws.deserialize_compact(answer["jws"], jwk, algorithms=["ES256"])
if token.headers().get("typ") != "accord-federation-configuration+jws":
    fail("wrong JWS typ %s" % token.headers().get("typ"))
configuration = json.loads(token.payload)
if configuration["hub"] != request["hub"]:
    fail("the configuration names another hub")
if len(configuration["issuedAt"]) != 24 or not configuration["issuedAt"].endswith("Z"):
    fail("issuedAt is not a UTC time with milliseconds: %s" % configuration["issuedAt"])
signers = {}
for participant in configuration["participants"]:
    prints = []
    for pem in participant["signerCertificates"]:
        certificate = x509.load_pem_x509_certificate(pem.encode())
        if issued_by_ca(certificate) and participant_of(certificate) == participant["id"]:
            prints.append(hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest())
    signers[participant["id"]] = prints


# §10 "Message log": leaves are SHA-256(0x00 ‖ entry text), nodes SHA-256(0x01 ‖ left ‖ right),
# indices from 0; the RFC 9162 §2.1.3.2 verification of an audit path.
def root_from_path(leaf, index, size, path):
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


message_digest = hashlib.sha256(base64.b64decode(request["message"])).hexdigest()
results = []
for proof in request["proofs"]:
    ok = proof["format"] == "accord-inclusion-proof/1"
    lines = proof["checkpoint"].split("\n")
    ok = ok and lines[0] == "accord-checkpoint/1" and lines[1] == "accord-exchange-log/" + request["hub"]
    raw = base64.b64decode(proof["checkpointSignature"])
    signature = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        signer_key.verify(signature, proof["checkpoint"].encode(), ec.ECDSA(hashes.SHA256()))
    except Exception:
        ok = False
    size, root = int(lines[2]), base64.b64decode(lines[3])
    leaf = hashlib.sha256(b"\x00" + proof["entry"].encode()).digest()
    path = [base64.b64decode(p) for p in proof["path"]]
    ok = ok and root_from_path(leaf, proof["index"], size, path) == root
    entry = proof["entry"].split("\n")
    ok = ok and entry[0] == "accord-exchange-log/1" and entry[8] == message_digest
    results.append({"ok": ok, "event": entry[3] if len(entry) > 3 else None})

print(json.dumps({"hub": configuration["hub"], "serial": configuration["serial"], "signers": signers, "proofs": results}))
