# English as written outside the US for this app: weeks start on Monday.
FIRST_DAY_OF_WEEK = 1
