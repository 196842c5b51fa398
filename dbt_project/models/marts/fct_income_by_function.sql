-- 收入（决算）表 and 收入总表: income by 功能科目 and source (财政拨款, 事业收入, 上级补助 …).
-- One row per published amount (value_id); rows without a function code are the table's
-- total lines (合计).
{{ subject_fact('income_by_function',
                [function_keys(), 'm.row_key', 'm.funding_source']) }}
