"""The CUP as a signed verifiable credential: issuing, status lists, the issuer's public files, the
printable card and its compact QR credential."""
