/* The fixed ECDSA P-256 key and self-signed certificate (CN=localhost, valid 2020-2045) the C tests'
 * TLS, DTLS and wss handshakes use: cheap enough under valgrind. Included by each test that needs it. */
#ifndef PP_TEST_CERT_H
#define PP_TEST_CERT_H

static const char EC_KEY_PEM[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFsdPPw86/sZVAOAj\n"
    "EAiVSePOID7gGJLQWUIrdzsGW2WhRANCAASjlD0bptJewHUAg++gYqwktQDl1J2R\n"
    "zgikLlAND21s7MEBJiver689VNieCXIu8f7baXsDidvpz9l56TUsPuJi\n"
    "-----END PRIVATE KEY-----\n";
static const char EC_CERT_PEM[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBejCCASCgAwIBAgIBATAKBggqhkjOPQQDAjA8MRIwEAYDVQQDDAlsb2NhbGhv\n"
    "c3QxGTAXBgNVBAoMEHBhY2tldHBlZXIgdGVzdHMxCzAJBgNVBAYTAklUMB4XDTIw\n"
    "MDEwMTAwMDAwMFoXDTQ1MDEwMTAwMDAwMFowPDESMBAGA1UEAwwJbG9jYWxob3N0\n"
    "MRkwFwYDVQQKDBBwYWNrZXRwZWVyIHRlc3RzMQswCQYDVQQGEwJJVDBZMBMGByqG\n"
    "SM49AgEGCCqGSM49AwEHA0IABKOUPRum0l7AdQCD76BirCS1AOXUnZHOCKQuUA0P\n"
    "bWzswQEmK96vrz1U2J4Jci7x/ttpewOJ2+nP2XnpNSw+4mKjEzARMA8GA1UdEwEB\n"
    "/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgOmNcLp8ASQqWWY1QDX9UTh7mQd+C\n"
    "FLdpHx8ye2hI5TQCIQD98VQdqftBKV0pGp5PeCt1nlLDQQOIJKSCs9G4OkNAGQ==\n"
    "-----END CERTIFICATE-----\n";

#endif /* PP_TEST_CERT_H */
