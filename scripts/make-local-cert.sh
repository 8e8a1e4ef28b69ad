#!/usr/bin/env bash
# A throwaway certificate authority and one TLS certificate it signs, for trying the documented
# deployment (docs/deploy.md) on a name of your own, or for tests. Needs only the openssl CLI.
#
#   scripts/make-local-cert.sh DIR NAME [NAME…]
#
# writes into DIR (created, mode 700):
#   ca.pem         the CA certificate: trust it in a client (curl --cacert, Node's `ca` option)
#   ca.key         the CA's private key: delete it once the certificate is made
#   NAME.pem       the certificate for NAME (and the other NAMEs), signed by the CA: nginx ssl_certificate
#   NAME.key       its private key: nginx ssl_certificate_key
# and prints the base64 SHA-256 of the certificate's public key, for Chromium's
# --ignore-certificate-errors-spki-list. Keys are P-256; the certificate lasts 30 days.
set -euo pipefail
if [ "$#" -lt 2 ]; then
  echo "usage: $0 DIR NAME [NAME…]" >&2
  exit 2
fi
dir=$1
name=$2
shift
sans=$(printf 'DNS:%s,' "$@")
sans=${sans%,}

mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
umask 077
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -subj "/CN=Throwaway local CA" -keyout ca.key -out ca.pem \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -subj "/CN=$name" -keyout "$name.key" -out "$name.csr" 2>/dev/null
printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
  "$sans" >"$name.ext"
openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
  -extfile "$name.ext" -out "$name.pem" 2>/dev/null
rm -f "$name.csr" "$name.ext" ca.srl
chmod 644 ca.pem "$name.pem"
openssl x509 -in "$name.pem" -noout -pubkey | openssl pkey -pubin -outform der |
  openssl dgst -sha256 -binary | openssl base64
