/* ddb_value.h — DynamoDB AttributeValues: plain JSON, numbers, item size, WRU.
 *
 * An AttributeValue is a JSON object with one type tag: {"S": "text"},
 * {"N": "12.5"}, {"B": "<base64>"}, {"BOOL": true}, {"NULL": true},
 * {"M": {name: AttributeValue}}, {"L": [AttributeValue]}, {"SS": [text]},
 * {"NS": [number text]}, {"BS": [base64]}. Members whose value is JSON null
 * are ignored, because SDK serialisers (aws-lambda-go) write every tag and
 * null all but one. An "attribute map" (Keys, NewImage, OldImage) is an
 * object of name -> AttributeValue.
 *
 * Decoding is strict: no tag, two tags, an unknown tag, a payload of the
 * wrong JSON type, an N that is not a number, a B that is not base64 are
 * errors naming the attribute's path ("NewImage.Map.Age", "NewImage.L[2]").
 * Lenient in one place: NS elements may be JSON numbers (third-party
 * fixtures write [1, 2]); they are then used as jansson read them.
 *
 * Plain JSON: S -> string, N -> number written with its exact digits (the
 * text is never converted to binary: a 38-digit N stays 38 digits), B ->
 * its base64 string, BOOL -> true/false, NULL -> null, M -> object (in
 * input order), L/SS/NS/BS -> arrays.
 *
 * Item size (DynamoDB Developer Guide, "DynamoDB item sizes and formats",
 * CapacityUnitCalculations.html): an item is the sum over its attributes
 * of (UTF-8 bytes of the name) + (size of the value), where
 *   S          UTF-8 bytes of the string
 *   N          1 + ceil(significant digits / 2); leading and trailing zeros
 *              are not significant (the guide: "approximately (1 byte per
 *              two significant digits) + (1 byte)"); zero is 1 byte
 *   B          raw (decoded) bytes
 *   BOOL, NULL 1 byte
 *   L, M       3 bytes + for each element 1 byte + its size (+ the UTF-8
 *              bytes of its name, for M) (the guide: "3 bytes of overhead",
 *              "each List or Map element also requires 1 byte of overhead")
 *   SS, NS, BS the sum of the sizes of the elements, no overhead (matches
 *              SizeBytes in AWS's own stream record examples)
 * Checked against the SizeBytes of the records in FORMATS.md §6: a stream
 * record's SizeBytes is size(Keys) + size(NewImage) + size(OldImage).
 * Write request units (on-demand, HowItWorks.ReadWriteCapacityMode): one
 * per started KB, at least one: ddb_wru(size) = max(1, ceil(size / 1024)).
 *
 * Ownership: the functions borrow their json_t arguments; text goes to a
 * caller's sb. Nothing here keeps a pointer. */
#ifndef MRB_DDB_VALUE_H
#define MRB_DDB_VALUE_H

#include <jansson.h>
#include <stddef.h>
#include "mrb/err.h"
#include "mrb/sb.h"

enum ddb_type {
    DDB_BAD = -1, /* not an AttributeValue (see ddb_value_type) */
    DDB_S = 0,
    DDB_N,
    DDB_B,
    DDB_BOOL,
    DDB_NULL,
    DDB_M,
    DDB_L,
    DDB_SS,
    DDB_NS,
    DDB_BS
};

/* The tag as written in JSON ("S", "BOOL", ...); "?" for DDB_BAD. */
const char *ddb_type_name(enum ddb_type t);

/* The type for a tag name, or DDB_BAD when name is not one. */
enum ddb_type ddb_type_from_name(const char *name);

/* The type of one AttributeValue and, when payload is not NULL, its payload
 * (borrowed from av). Only the tag is looked at, not the payload's JSON type.
 * DDB_BAD when av is not an object with exactly one known non-null tag. */
enum ddb_type ddb_value_type(const json_t *av, const json_t **payload);

/* Appends the plain JSON of an attribute map (object) to out. path names
 * the map in errors ("NewImage"). Returns 0, or -1 with err (line and
 * offset 0 / -1: the caller knows where the record is); out then holds a
 * partial text the caller discards. */
int ddb_image_to_json(const json_t *attr_map, const char *path, sb *out, mrb_err *err);

/* Appends the plain JSON of one AttributeValue; as ddb_image_to_json. */
int ddb_value_to_json(const json_t *av, const char *path, sb *out, mrb_err *err);

/* Size in bytes of an item (attribute map) by the rules above, or -1 with
 * err when an AttributeValue is malformed (same checks as to_json). */
long long ddb_item_size(const json_t *attr_map, const char *path, mrb_err *err);

/* Size of one AttributeValue (without a name), or -1 with err. */
long long ddb_value_size(const json_t *av, const char *path, mrb_err *err);

/* Both at once (one walk): appends the plain JSON to out when out is not
 * NULL and stores the size in *size when size is not NULL. 0 or -1. */
int ddb_image_decode(const json_t *attr_map, const char *path, sb *out, long long *size,
                     mrb_err *err);

/* Write request units for an item of size bytes: ceil(size / 1024), at
 * least 1 (also for size <= 0). */
long long ddb_wru(long long size);


/* ---- N values: decimal text, never converted to binary for storage ---- */

/* 1 when n[0..len) is a DynamoDB number: optional sign, digits with an
 * optional '.', optional exponent ("12", "-0.5", ".5", "5.", "+1E-3"). */
int ddb_number_valid(const char *n, size_t len);

/* Appends the number as a JSON number to out: the text unchanged when it
 * is already valid JSON; else the same value minimally rewritten ('+' and
 * redundant leading zeros dropped, "0" before a leading '.', a trailing
 * '.' dropped). Returns 0, or -1 (nothing appended) when not a number. */
int ddb_number_json(const char *n, size_t len, sb *out);

/* Significant digits (leading and trailing zeros of the digit string
 * dropped; 0 for zero), or -1 when not a number. */
int ddb_number_digits(const char *n, size_t len);

/* The value as a double for a REAL column. Returns 1 when the double reads
 * back as the same decimal (at most 15 significant digits, in the normal
 * range), 0 when it is the nearest double but rounded, -1 when not a number
 * or out of the double range (*out untouched). */
int ddb_number_real(const char *n, size_t len, double *out);

/* Compares two numbers exactly (decimal, any length): <0, 0, >0. *ok is set
 * to 0 when either is not a number (the result is then 0). */
int ddb_number_cmp(const char *a, size_t alen, const char *b, size_t blen, int *ok);

#endif
