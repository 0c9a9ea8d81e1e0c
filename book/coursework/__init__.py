"""Coursework: checks for the exercises, the students' edition of the book, and the grader.

from book.coursework.checks import check_scaled_dot_product_attention
python -m book.coursework student OUTDIR     # the book without solutions, plus a CI workflow
python -m book.coursework grade [PATH]       # check every exercise of a (student's) book
"""
