#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/params.h>
#include <openssl/core_names.h>

/*
 * An HMAC-SHA256 context already keyed with `key`, meant as a read-only template that
 * callers duplicate (EVP_MAC_CTX_dup) per message, so the key schedule is done once.
 * In C because OSSL_PARAM_construct_utf8_string wants a mutable char * for the digest
 * name, which is awkward to keep alive from Swift. Returns NULL on failure.
 */
static inline EVP_MAC_CTX *findash_hmac_sha256_new(const unsigned char *key, size_t keylen) {
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) return NULL;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac); /* the context holds its own reference */
    if (ctx == NULL) return NULL;
    char digest[] = "SHA256";
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    /* A NULL key means "keep the previous key" to EVP_MAC_init, so an empty secret
       still needs a non-NULL pointer. */
    static const unsigned char empty = 0;
    if (EVP_MAC_init(ctx, key != NULL ? key : &empty, keylen, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}
