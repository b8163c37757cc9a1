"""Validation as data: raw workbook tables -> clean tables and one issue record per problem.

    model       Issue, Dataset, ISSUE_COLUMNS: what the rest of the app imports
    run         validate(raw, today): runs the rules below in order
    rows        a tab as read, its rows, and the Issues collector every rule reports to
    cells       which tab to read, its header row, each cell's clean value or issue
    settings    the Cấu hình and Giai đoạn tabs -> the Campaign
    rosters     the Thôn and Đơn vị tabs: duplicates, figures, name lookup
    reports     the weekly report tabs: names, dates, bounds, duplicates, cumulative figures
    messages    every sentence shown to people, keyed by issue code

Import from the modules (`from lib.validation.run import validate`): this file imports
nothing, so `lib.normalize` can use `messages` without importing the rules.
"""
