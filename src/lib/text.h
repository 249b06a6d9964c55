/*
 * Small facts about text that several rules need: whether it has any words, how many characters
 * (not bytes) it has, numbers written with thousands separators, and tables of names with their
 * titles (the enumerations of the domain, read both ways).
 */
#ifndef NPQ_LIB_TEXT_H
#define NPQ_LIB_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Something other than spaces, tabs and line ends; false for NULL. */
bool text_has_words(const char *s);

/* Characters (UTF-8 code points, not bytes), so limits read as people count; 0 for NULL. */
size_t text_characters(const char *s);

/*
 * Whether s may stand as one line wherever it is shown (a name, a title, a file name): no control
 * characters (C0, DEL, C1), no line or paragraph separators, and none of Unicode's bidirectional
 * overrides and isolates, which can make "plan\u202Efdp.exe" read as "planexe.pdf". True for NULL.
 */
bool text_is_one_line(const char *s);

/* 50009 as "50,009". */
void text_thousands(uint64_t n, char out[32]);

/* A size in words, in the binary units every limit of npq is set in, exactly: 20971520 as
 * "20 MiB", 1073741824 as "1 GiB", 524288 as "512 KiB", 1000 as "1,000 bytes" (a size that is not
 * a whole number of a unit is given in the next smaller one). */
void text_bytes(int64_t bytes, char out[32]);

/* One row of an enumeration's table: its stored name and the title people read. */
struct text_name {
    const char *name;
    const char *title;
};

/* The index of name in table, or false when it is not there (or name is NULL). */
bool text_name_find(const struct text_name *table, int count, const char *name, int *index);

#endif
