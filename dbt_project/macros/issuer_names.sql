-- An issuer's name with the spellings that name one issuer set aside: spaces, bracket width,
-- the scope suffix 本级 and a party office's 中共 (as ingest.interpret.recognise.issuer_key).
{% macro issuer_name_key(name) -%}
regexp_replace(regexp_replace(regexp_replace(replace(replace({{ name }}, '(', '（'), ')', '）'),
    '\s+', '', 'g'), '(（本级）|本级)$', ''), '^中共', '')
{%- endmacro %}
