"""Coursework: checks for the exercises of every chapter, the students' edition of the book, the grader.

from book.coursework.checks import check_attend
python -m book.coursework student OUTDIR     # the book without solutions, plus a CI workflow
python -m book.coursework grade [PATH]       # check every exercise of a (student's) book
"""
