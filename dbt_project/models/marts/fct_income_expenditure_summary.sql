-- 收入支出（决算）总表 and 收支总表: the lines of the two-sided summary, by side and fund.
-- One row per published amount (value_id).
{{ subject_fact('income_expenditure_summary',
                ['m.table_side', 'm.line_item', 'm.printed_line_number', 'm.function_code',
                 'm.spending_type', 'm.funding_source']) }}
