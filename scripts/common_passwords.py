#!/usr/bin/env python3
"""Writes the common-password list npq refuses, one lower-case password a line, sorted bytewise.

usage: common_passwords.py PASSWORDS_JSON OUTPUT
PASSWORDS_JSON is zxcvbn-ts's list of frequently used passwords (npm @zxcvbn-ts/language-common,
MIT licence), the list NCSC guidance asks services to check new passwords against.
"""
import json
import sys


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        words = json.load(f)
    unique = sorted({w.strip().lower() for w in words if w.strip()}, key=lambda w: w.encode('utf-8'))
    with open(sys.argv[2], 'w', encoding='utf-8') as f:
        f.write('\n'.join(unique) + '\n')


if __name__ == '__main__':
    main()
