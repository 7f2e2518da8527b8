"""A scripted plan several tests play: the 2018 exercise's hard line (rip-and-replace, a ban everywhere)."""

HARD_LINE = """
name = "hard line"
fill = "repeat"

[[turn]]
quarter = "2018Q4"
allocations = { rip-and-replace = 6, subsidy-fujitsu = 3 }
choices = { ex-procurement-decision = "whole-network", ex-beijing-protest = "quiet-talks" }
"""
