"""Thin views for boards: every change is a POST → form → service; the socket brings it to all.

By concern: pages.py, steering.py, cards.py, groups.py, votes.py; what they share is in
common.py. boards/urls.py names each view by its module.
"""
