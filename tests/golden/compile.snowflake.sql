-- emea-fintech-multicurrency 2026-Q4, compiled by icp compile for snowflake.
-- Generated: edit the ICP file, not this query.
WITH icp_raw AS (
  SELECT
    src.*,
    CASE
      WHEN CAST(src.employees AS VARCHAR) <> ''
      AND (
        CHARINDEX(
          LEFT(CAST(src.employees AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
        OR CHARINDEX(
          RIGHT(CAST(src.employees AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
      )
      THEN TRIM(CAST(src.employees AS VARCHAR), '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　')
      ELSE CAST(src.employees AS VARCHAR)
    END AS _icp_r_employees,
    CASE
      WHEN CAST(src.revenue_usd AS VARCHAR) <> ''
      AND (
        CHARINDEX(
          LEFT(CAST(src.revenue_usd AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
        OR CHARINDEX(
          RIGHT(CAST(src.revenue_usd AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
      )
      THEN TRIM(
        CAST(src.revenue_usd AS VARCHAR),
        '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
      )
      ELSE CAST(src.revenue_usd AS VARCHAR)
    END AS _icp_r_revenue_usd,
    CASE
      WHEN CAST(src.industry AS VARCHAR) <> ''
      AND (
        CHARINDEX(
          LEFT(CAST(src.industry AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
        OR CHARINDEX(
          RIGHT(CAST(src.industry AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
      )
      THEN TRIM(CAST(src.industry AS VARCHAR), '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　')
      ELSE CAST(src.industry AS VARCHAR)
    END AS _icp_r_industry,
    CASE
      WHEN CAST(src.country AS VARCHAR) <> ''
      AND (
        CHARINDEX(
          LEFT(CAST(src.country AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
        OR CHARINDEX(
          RIGHT(CAST(src.country AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
      )
      THEN TRIM(CAST(src.country AS VARCHAR), '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　')
      ELSE CAST(src.country AS VARCHAR)
    END AS _icp_r_country,
    CASE
      WHEN CAST(src.currencies_count AS VARCHAR) <> ''
      AND (
        CHARINDEX(
          LEFT(CAST(src.currencies_count AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
        OR CHARINDEX(
          RIGHT(CAST(src.currencies_count AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
      )
      THEN TRIM(
        CAST(src.currencies_count AS VARCHAR),
        '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
      )
      ELSE CAST(src.currencies_count AS VARCHAR)
    END AS _icp_r_currencies_count,
    CASE
      WHEN CAST(src.erp AS VARCHAR) <> ''
      AND (
        CHARINDEX(
          LEFT(CAST(src.erp AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
        OR CHARINDEX(
          RIGHT(CAST(src.erp AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
      )
      THEN TRIM(CAST(src.erp AS VARCHAR), '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　')
      ELSE CAST(src.erp AS VARCHAR)
    END AS _icp_r_erp,
    CASE
      WHEN CAST(src.tech_stack AS VARCHAR) <> ''
      AND (
        CHARINDEX(
          LEFT(CAST(src.tech_stack AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
        OR CHARINDEX(
          RIGHT(CAST(src.tech_stack AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
      )
      THEN TRIM(
        CAST(src.tech_stack AS VARCHAR),
        '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
      )
      ELSE CAST(src.tech_stack AS VARCHAR)
    END AS _icp_r_tech_stack,
    CASE
      WHEN CAST(src.triggers AS VARCHAR) <> ''
      AND (
        CHARINDEX(
          LEFT(CAST(src.triggers AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
        OR CHARINDEX(
          RIGHT(CAST(src.triggers AS VARCHAR), 1),
          '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　'
        ) > 0
      )
      THEN TRIM(CAST(src.triggers AS VARCHAR), '\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　')
      ELSE CAST(src.triggers AS VARCHAR)
    END AS _icp_r_triggers
  FROM accounts AS src
), icp_coded AS (
  SELECT
    *,
    CASE LOWER(TRANSLATE(_icp_r_country, 'İKΣ', 'ikσ'))
      WHEN 'united states'
      THEN 'US'
      WHEN 'usa'
      THEN 'US'
      WHEN 'uk'
      THEN 'GB'
      WHEN 'united kingdom'
      THEN 'GB'
      WHEN 'germany'
      THEN 'DE'
      ELSE _icp_r_country
    END AS _icp_m_country
  FROM icp_raw
), icp_text AS (
  SELECT
    *,
    CASE
      WHEN _icp_r_employees IN (
        '',
        '#N/A',
        '#n/a',
        '-',
        '--',
        '?',
        'N/A',
        'NA',
        'NONE',
        'NULL',
        'Na',
        'None',
        'Null',
        'UNKNOWN',
        'Unknown',
        'n/a',
        'na',
        'none',
        'null',
        'unknown'
      )
      THEN NULL
      ELSE _icp_r_employees
    END AS _icp_x_employees,
    CASE
      WHEN _icp_r_revenue_usd IN (
        '',
        '#N/A',
        '#n/a',
        '-',
        '--',
        '?',
        'N/A',
        'NA',
        'NONE',
        'NULL',
        'Na',
        'None',
        'Null',
        'UNKNOWN',
        'Unknown',
        'n/a',
        'na',
        'none',
        'null',
        'unknown'
      )
      THEN NULL
      ELSE _icp_r_revenue_usd
    END AS _icp_x_revenue_usd,
    CASE
      WHEN _icp_r_industry IN (
        '',
        '#N/A',
        '#n/a',
        '-',
        '--',
        '?',
        'N/A',
        'NA',
        'NONE',
        'NULL',
        'Na',
        'None',
        'Null',
        'UNKNOWN',
        'Unknown',
        'n/a',
        'na',
        'none',
        'null',
        'unknown'
      )
      THEN NULL
      ELSE _icp_r_industry
    END AS _icp_x_industry,
    CASE
      WHEN _icp_m_country IN (
        '',
        '#N/A',
        '#n/a',
        '-',
        '--',
        '?',
        'N/A',
        'NA',
        'NONE',
        'NULL',
        'Na',
        'None',
        'Null',
        'UNKNOWN',
        'Unknown',
        'n/a',
        'na',
        'none',
        'null',
        'unknown'
      )
      THEN NULL
      ELSE _icp_m_country
    END AS _icp_x_country,
    CASE
      WHEN _icp_r_currencies_count IN (
        '',
        '#N/A',
        '#n/a',
        '-',
        '--',
        '?',
        'N/A',
        'NA',
        'NONE',
        'NULL',
        'Na',
        'None',
        'Null',
        'UNKNOWN',
        'Unknown',
        'n/a',
        'na',
        'none',
        'null',
        'unknown'
      )
      THEN NULL
      ELSE _icp_r_currencies_count
    END AS _icp_x_currencies_count,
    CASE
      WHEN _icp_r_erp IN (
        '',
        '#N/A',
        '#n/a',
        '-',
        '--',
        '?',
        'N/A',
        'NA',
        'NONE',
        'NULL',
        'Na',
        'None',
        'Null',
        'UNKNOWN',
        'Unknown',
        'n/a',
        'na',
        'none',
        'null',
        'unknown'
      )
      THEN NULL
      ELSE _icp_r_erp
    END AS _icp_x_erp,
    CASE
      WHEN _icp_r_tech_stack IN (
        '',
        '#N/A',
        '#n/a',
        '-',
        '--',
        '?',
        'N/A',
        'NA',
        'NONE',
        'NULL',
        'Na',
        'None',
        'Null',
        'UNKNOWN',
        'Unknown',
        'n/a',
        'na',
        'none',
        'null',
        'unknown'
      )
      THEN NULL
      ELSE _icp_r_tech_stack
    END AS _icp_x_tech_stack,
    CASE
      WHEN _icp_r_triggers IN (
        '',
        '#N/A',
        '#n/a',
        '-',
        '--',
        '?',
        'N/A',
        'NA',
        'NONE',
        'NULL',
        'Na',
        'None',
        'Null',
        'UNKNOWN',
        'Unknown',
        'n/a',
        'na',
        'none',
        'null',
        'unknown'
      )
      THEN NULL
      ELSE _icp_r_triggers
    END AS _icp_x_triggers
  FROM icp_coded
), icp_values AS (
  SELECT
    *,
    CASE
      WHEN (
        LENGTH(_icp_x_employees) <= 1000
        AND REGEXP_LIKE(_icp_x_employees, '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$')
      )
      AND ABS(TRY_CAST(_icp_x_employees AS DOUBLE)) <= CAST(1.7976931348623157e+308 AS DOUBLE)
      THEN TRY_CAST(_icp_x_employees AS DOUBLE)
      WHEN LENGTH(LOWER(_icp_x_employees)) <= 250
      AND REGEXP_LIKE(
        LOWER(_icp_x_employees),
        '^[(]?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*([-+][\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*([$€£¥]|usd|eur|gbp)?|([$€£¥]|usd|eur|gbp)?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*[-+]?)[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*([0-9]{1,3}([,\'_ ][0-9]{3})+([.][0-9]+)?|[0-9]+([.][0-9]+)?|[.][0-9]+)[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*(k|thousand|m|mm|mn|mio|million|millions|b|bn|billion|billions)?[.]?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*(usd|eur|gbp|[$€£%])?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*[)]?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*$'
      )
      THEN TRY_CAST(RTRIM(REGEXP_REPLACE(LOWER(_icp_x_employees), '[^0-9.]', ''), '.') AS DOUBLE) * (
        CASE REGEXP_REPLACE(
            REGEXP_REPLACE(REGEXP_REPLACE(LOWER(_icp_x_employees), '[^a-z]', ''), '^(usd|eur|gbp)', ''),
            '(usd|eur|gbp)$',
            ''
          )
          WHEN ''
          THEN CAST(1.0 AS DOUBLE)
          WHEN 'k'
          THEN CAST(1000.0 AS DOUBLE)
          WHEN 'thousand'
          THEN CAST(1000.0 AS DOUBLE)
          WHEN 'm'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'mm'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'mn'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'mio'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'million'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'millions'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'b'
          THEN CAST(1000000000.0 AS DOUBLE)
          WHEN 'bn'
          THEN CAST(1000000000.0 AS DOUBLE)
          WHEN 'billion'
          THEN CAST(1000000000.0 AS DOUBLE)
          WHEN 'billions'
          THEN CAST(1000000000.0 AS DOUBLE)
        END
      ) * (
        CASE
          WHEN LOWER(_icp_x_employees) LIKE '(%' OR CHARINDEX('-', LOWER(_icp_x_employees)) > 0
          THEN CAST(-1.0 AS DOUBLE)
          ELSE CAST(1.0 AS DOUBLE)
        END
      )
    END AS _icp_v_employees,
    CASE
      WHEN (
        LENGTH(_icp_x_revenue_usd) <= 1000
        AND REGEXP_LIKE(_icp_x_revenue_usd, '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$')
      )
      AND ABS(TRY_CAST(_icp_x_revenue_usd AS DOUBLE)) <= CAST(1.7976931348623157e+308 AS DOUBLE)
      THEN TRY_CAST(_icp_x_revenue_usd AS DOUBLE)
      WHEN LENGTH(LOWER(_icp_x_revenue_usd)) <= 250
      AND REGEXP_LIKE(
        LOWER(_icp_x_revenue_usd),
        '^[(]?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*([-+][\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*([$€£¥]|usd|eur|gbp)?|([$€£¥]|usd|eur|gbp)?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*[-+]?)[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*([0-9]{1,3}([,\'_ ][0-9]{3})+([.][0-9]+)?|[0-9]+([.][0-9]+)?|[.][0-9]+)[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*(k|thousand|m|mm|mn|mio|million|millions|b|bn|billion|billions)?[.]?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*(usd|eur|gbp|[$€£%])?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*[)]?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*$'
      )
      THEN TRY_CAST(RTRIM(REGEXP_REPLACE(LOWER(_icp_x_revenue_usd), '[^0-9.]', ''), '.') AS DOUBLE) * (
        CASE REGEXP_REPLACE(
            REGEXP_REPLACE(REGEXP_REPLACE(LOWER(_icp_x_revenue_usd), '[^a-z]', ''), '^(usd|eur|gbp)', ''),
            '(usd|eur|gbp)$',
            ''
          )
          WHEN ''
          THEN CAST(1.0 AS DOUBLE)
          WHEN 'k'
          THEN CAST(1000.0 AS DOUBLE)
          WHEN 'thousand'
          THEN CAST(1000.0 AS DOUBLE)
          WHEN 'm'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'mm'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'mn'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'mio'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'million'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'millions'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'b'
          THEN CAST(1000000000.0 AS DOUBLE)
          WHEN 'bn'
          THEN CAST(1000000000.0 AS DOUBLE)
          WHEN 'billion'
          THEN CAST(1000000000.0 AS DOUBLE)
          WHEN 'billions'
          THEN CAST(1000000000.0 AS DOUBLE)
        END
      ) * (
        CASE
          WHEN LOWER(_icp_x_revenue_usd) LIKE '(%'
          OR CHARINDEX('-', LOWER(_icp_x_revenue_usd)) > 0
          THEN CAST(-1.0 AS DOUBLE)
          ELSE CAST(1.0 AS DOUBLE)
        END
      )
    END AS _icp_v_revenue_usd,
    LOWER(TRANSLATE(_icp_x_industry, 'İKΣ', 'ikσ')) AS _icp_v_industry,
    LOWER(TRANSLATE(_icp_x_country, 'İKΣ', 'ikσ')) AS _icp_v_country,
    CASE
      WHEN (
        LENGTH(_icp_x_currencies_count) <= 1000
        AND REGEXP_LIKE(_icp_x_currencies_count, '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$')
      )
      AND ABS(TRY_CAST(_icp_x_currencies_count AS DOUBLE)) <= CAST(1.7976931348623157e+308 AS DOUBLE)
      THEN TRY_CAST(_icp_x_currencies_count AS DOUBLE)
      WHEN LENGTH(LOWER(_icp_x_currencies_count)) <= 250
      AND REGEXP_LIKE(
        LOWER(_icp_x_currencies_count),
        '^[(]?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*([-+][\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*([$€£¥]|usd|eur|gbp)?|([$€£¥]|usd|eur|gbp)?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*[-+]?)[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*([0-9]{1,3}([,\'_ ][0-9]{3})+([.][0-9]+)?|[0-9]+([.][0-9]+)?|[.][0-9]+)[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*(k|thousand|m|mm|mn|mio|million|millions|b|bn|billion|billions)?[.]?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*(usd|eur|gbp|[$€£%])?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*[)]?[\t\n\x0b\f\r\x1c\x1d\x1e\x1f                  　]*$'
      )
      THEN TRY_CAST(RTRIM(REGEXP_REPLACE(LOWER(_icp_x_currencies_count), '[^0-9.]', ''), '.') AS DOUBLE) * (
        CASE REGEXP_REPLACE(
            REGEXP_REPLACE(REGEXP_REPLACE(LOWER(_icp_x_currencies_count), '[^a-z]', ''), '^(usd|eur|gbp)', ''),
            '(usd|eur|gbp)$',
            ''
          )
          WHEN ''
          THEN CAST(1.0 AS DOUBLE)
          WHEN 'k'
          THEN CAST(1000.0 AS DOUBLE)
          WHEN 'thousand'
          THEN CAST(1000.0 AS DOUBLE)
          WHEN 'm'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'mm'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'mn'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'mio'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'million'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'millions'
          THEN CAST(1000000.0 AS DOUBLE)
          WHEN 'b'
          THEN CAST(1000000000.0 AS DOUBLE)
          WHEN 'bn'
          THEN CAST(1000000000.0 AS DOUBLE)
          WHEN 'billion'
          THEN CAST(1000000000.0 AS DOUBLE)
          WHEN 'billions'
          THEN CAST(1000000000.0 AS DOUBLE)
        END
      ) * (
        CASE
          WHEN LOWER(_icp_x_currencies_count) LIKE '(%'
          OR CHARINDEX('-', LOWER(_icp_x_currencies_count)) > 0
          THEN CAST(-1.0 AS DOUBLE)
          ELSE CAST(1.0 AS DOUBLE)
        END
      )
    END AS _icp_v_currencies_count,
    ';' || CASE
      WHEN CHARINDEX(';', _icp_x_erp) > 0
      AND (
        CHARINDEX(' ', _icp_x_erp) > 0
        OR CHARINDEX('\t', _icp_x_erp) > 0
        OR CHARINDEX('\n', _icp_x_erp) > 0
        OR CHARINDEX('\f', _icp_x_erp) > 0
        OR CHARINDEX('\r', _icp_x_erp) > 0
      )
      THEN REGEXP_REPLACE(LOWER(TRANSLATE(_icp_x_erp, 'İKΣ', 'ikσ')), '[ \t\n\f\r]*;[ \t\n\f\r]*', ';')
      ELSE LOWER(TRANSLATE(_icp_x_erp, 'İKΣ', 'ikσ'))
    END || ';' AS _icp_v_erp,
    ';' || CASE
      WHEN CHARINDEX(';', _icp_x_tech_stack) > 0
      AND (
        CHARINDEX(' ', _icp_x_tech_stack) > 0
        OR CHARINDEX('\t', _icp_x_tech_stack) > 0
        OR CHARINDEX('\n', _icp_x_tech_stack) > 0
        OR CHARINDEX('\f', _icp_x_tech_stack) > 0
        OR CHARINDEX('\r', _icp_x_tech_stack) > 0
      )
      THEN REGEXP_REPLACE(LOWER(TRANSLATE(_icp_x_tech_stack, 'İKΣ', 'ikσ')), '[ \t\n\f\r]*;[ \t\n\f\r]*', ';')
      ELSE LOWER(TRANSLATE(_icp_x_tech_stack, 'İKΣ', 'ikσ'))
    END || ';' AS _icp_v_tech_stack,
    ';' || CASE
      WHEN CHARINDEX(';', _icp_x_triggers) > 0
      AND (
        CHARINDEX(' ', _icp_x_triggers) > 0
        OR CHARINDEX('\t', _icp_x_triggers) > 0
        OR CHARINDEX('\n', _icp_x_triggers) > 0
        OR CHARINDEX('\f', _icp_x_triggers) > 0
        OR CHARINDEX('\r', _icp_x_triggers) > 0
      )
      THEN REGEXP_REPLACE(LOWER(TRANSLATE(_icp_x_triggers, 'İKΣ', 'ikσ')), '[ \t\n\f\r]*;[ \t\n\f\r]*', ';')
      ELSE LOWER(TRANSLATE(_icp_x_triggers, 'İKΣ', 'ikσ'))
    END || ';' AS _icp_v_triggers
  FROM icp_text
), icp_credits AS (
  SELECT
    *,
    CASE
      WHEN _icp_v_employees IS NULL
      THEN CAST(NULL AS DOUBLE)
      WHEN _icp_v_employees >= CAST(500.0 AS DOUBLE)
      AND _icp_v_employees <= CAST(5000.0 AS DOUBLE)
      THEN CAST(1.0 AS DOUBLE)
      WHEN _icp_v_employees >= CAST(300.0 AS DOUBLE)
      AND _icp_v_employees <= CAST(499.0 AS DOUBLE)
      THEN CAST(0.5 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_c_employees,
    CASE
      WHEN _icp_v_revenue_usd IS NULL
      THEN CAST(NULL AS DOUBLE)
      WHEN _icp_v_revenue_usd >= CAST(100000000.0 AS DOUBLE)
      AND _icp_v_revenue_usd <= CAST(1000000000.0 AS DOUBLE)
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_c_revenue_usd,
    CASE
      WHEN _icp_v_industry IS NULL
      THEN CAST(NULL AS DOUBLE)
      WHEN _icp_v_industry IN ('fintech', 'insurtech', 'payments')
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_c_industry,
    CASE
      WHEN _icp_v_country IS NULL
      THEN CAST(NULL AS DOUBLE)
      WHEN _icp_v_country IN ('de', 'dk', 'fr', 'gb', 'ie', 'nl', 'no', 'se')
      THEN CAST(1.0 AS DOUBLE)
      WHEN _icp_v_country IN ('es', 'it', 'pl')
      THEN CAST(0.5 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_c_country,
    CASE
      WHEN _icp_v_currencies_count IS NULL
      THEN CAST(NULL AS DOUBLE)
      WHEN _icp_v_currencies_count >= CAST(3.0 AS DOUBLE)
      AND _icp_v_currencies_count <= CAST(30.0 AS DOUBLE)
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_c_currencies_count,
    CASE
      WHEN _icp_v_erp IS NULL
      THEN CAST(NULL AS DOUBLE)
      WHEN CHARINDEX(';microsoft-dynamics-365;', _icp_v_erp) > 0
      OR CHARINDEX(';netsuite;', _icp_v_erp) > 0
      OR CHARINDEX(';sap-s4hana;', _icp_v_erp) > 0
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_c_erp,
    CASE
      WHEN _icp_v_tech_stack IS NULL
      THEN CAST(NULL AS DOUBLE)
      WHEN CHARINDEX(';hubspot;', _icp_v_tech_stack) > 0
      OR CHARINDEX(';salesforce;', _icp_v_tech_stack) > 0
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_c_tech_stack,
    CASE
      WHEN CHARINDEX(';new-cfo;', _icp_v_triggers) > 0
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_t_0,
    CASE
      WHEN CHARINDEX(';acquisition-adds-currency;', _icp_v_triggers) > 0
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_t_1,
    CASE
      WHEN CHARINDEX(';regulatory-deadline;', _icp_v_triggers) > 0
      THEN CAST(1.0 AS DOUBLE)
      ELSE CAST(0.0 AS DOUBLE)
    END AS _icp_t_2,
    CASE
      WHEN _icp_v_currencies_count <= CAST(1.0 AS DOUBLE)
      THEN 'single-currency'
      WHEN _icp_v_industry IN ('central-bank', 'public-sector')
      THEN 'public-sector-bank'
      ELSE ''
    END AS _icp_disqualifier
  FROM icp_values
), icp_totals AS (
  SELECT
    *,
    FLOOR(
      (
        CASE
          WHEN CAST(0.0 AS DOUBLE) + COALESCE(_icp_c_employees * CAST(15.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_revenue_usd * CAST(15.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_industry * CAST(20.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_country * CAST(10.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_currencies_count * CAST(10.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_erp * CAST(5.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_tech_stack * CAST(5.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + _icp_t_0 * CAST(10.0 AS DOUBLE) + _icp_t_1 * CAST(5.0 AS DOUBLE) + _icp_t_2 * CAST(5.0 AS DOUBLE) < CAST(0.0 AS DOUBLE)
          THEN CAST(0.0 AS DOUBLE)
          WHEN CAST(0.0 AS DOUBLE) + COALESCE(_icp_c_employees * CAST(15.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_revenue_usd * CAST(15.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_industry * CAST(20.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_country * CAST(10.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_currencies_count * CAST(10.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_erp * CAST(5.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_tech_stack * CAST(5.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + _icp_t_0 * CAST(10.0 AS DOUBLE) + _icp_t_1 * CAST(5.0 AS DOUBLE) + _icp_t_2 * CAST(5.0 AS DOUBLE) > CAST(100.0 AS DOUBLE)
          THEN CAST(100.0 AS DOUBLE)
          ELSE CAST(0.0 AS DOUBLE) + COALESCE(_icp_c_employees * CAST(15.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_revenue_usd * CAST(15.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_industry * CAST(20.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_country * CAST(10.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_currencies_count * CAST(10.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_erp * CAST(5.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + COALESCE(_icp_c_tech_stack * CAST(5.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) + _icp_t_0 * CAST(10.0 AS DOUBLE) + _icp_t_1 * CAST(5.0 AS DOUBLE) + _icp_t_2 * CAST(5.0 AS DOUBLE)
        END
      ) * CAST(100.0 AS DOUBLE) + CAST(0.5 AS DOUBLE)
    ) / CAST(100.0 AS DOUBLE) AS _icp_total,
    FLOOR(
      (
        (
          CAST(0.0 AS DOUBLE) + CASE
            WHEN _icp_c_employees IS NULL
            THEN CAST(15.0 AS DOUBLE)
            ELSE CAST(0.0 AS DOUBLE)
          END + CASE
            WHEN _icp_c_revenue_usd IS NULL
            THEN CAST(15.0 AS DOUBLE)
            ELSE CAST(0.0 AS DOUBLE)
          END + CASE
            WHEN _icp_c_industry IS NULL
            THEN CAST(20.0 AS DOUBLE)
            ELSE CAST(0.0 AS DOUBLE)
          END + CASE
            WHEN _icp_c_country IS NULL
            THEN CAST(10.0 AS DOUBLE)
            ELSE CAST(0.0 AS DOUBLE)
          END + CASE
            WHEN _icp_c_currencies_count IS NULL
            THEN CAST(10.0 AS DOUBLE)
            ELSE CAST(0.0 AS DOUBLE)
          END + CASE WHEN _icp_c_erp IS NULL THEN CAST(5.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END + CASE
            WHEN _icp_c_tech_stack IS NULL
            THEN CAST(5.0 AS DOUBLE)
            ELSE CAST(0.0 AS DOUBLE)
          END
        ) / CAST(100.0 AS DOUBLE)
      ) * CAST(10000.0 AS DOUBLE) + CAST(0.5 AS DOUBLE)
    ) / CAST(10000.0 AS DOUBLE) AS _icp_share,
    COALESCE(_icp_c_employees * CAST(15.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) AS _icp_p_0,
    COALESCE(_icp_c_revenue_usd * CAST(15.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) AS _icp_p_1,
    COALESCE(_icp_c_industry * CAST(20.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) AS _icp_p_2,
    COALESCE(_icp_c_country * CAST(10.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) AS _icp_p_3,
    COALESCE(_icp_c_currencies_count * CAST(10.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) AS _icp_p_4,
    COALESCE(_icp_c_erp * CAST(5.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) AS _icp_p_5,
    COALESCE(_icp_c_tech_stack * CAST(5.0 AS DOUBLE), CAST(0.0 AS DOUBLE)) AS _icp_p_6,
    _icp_t_0 * CAST(10.0 AS DOUBLE) AS _icp_p_7,
    _icp_t_1 * CAST(5.0 AS DOUBLE) AS _icp_p_8,
    _icp_t_2 * CAST(5.0 AS DOUBLE) AS _icp_p_9
  FROM icp_credits
), icp_keyed AS (
  SELECT
    *,
    COALESCE(
      CASE CASE
          WHEN _icp_disqualifier <> ''
          THEN 'disqualified'
          WHEN _icp_share > CAST(0.5 AS DOUBLE)
          THEN 'unknown'
          WHEN _icp_total >= CAST(85.0 AS DOUBLE)
          THEN 'strong'
          WHEN _icp_total >= CAST(70.0 AS DOUBLE)
          THEN 'good'
          WHEN _icp_total >= CAST(55.0 AS DOUBLE)
          THEN 'possible'
          WHEN _icp_total >= CAST(40.0 AS DOUBLE)
          THEN 'weak'
          ELSE 'poor'
        END
        WHEN 'strong'
        THEN 0
        WHEN 'good'
        THEN 1
        WHEN 'possible'
        THEN 2
        WHEN 'weak'
        THEN 3
        WHEN 'poor'
        THEN 4
      END,
      5
    ) AS _icp_rank_band,
    CASE WHEN _icp_disqualifier <> '' THEN CAST(0.0 AS DOUBLE) ELSE _icp_total END AS _icp_rank_score
  FROM icp_totals
), icp_ranks AS (
  SELECT
    _icp_rank_band,
    _icp_rank_score,
    CAST(SUM(COUNT(*)) OVER (ORDER BY _icp_rank_band NULLS FIRST, -_icp_rank_score NULLS FIRST) - COUNT(*) + 1 AS BIGINT) AS _icp_rank
  FROM icp_keyed
  GROUP BY
    _icp_rank_band,
    _icp_rank_score
)
SELECT
  *
  EXCLUDE (_icp_r_employees, _icp_r_revenue_usd, _icp_r_industry, _icp_r_country, _icp_r_currencies_count, _icp_r_erp, _icp_r_tech_stack, _icp_r_triggers, _icp_m_country, _icp_x_employees, _icp_x_revenue_usd, _icp_x_industry, _icp_x_country, _icp_x_currencies_count, _icp_x_erp, _icp_x_tech_stack, _icp_x_triggers, _icp_v_employees, _icp_v_revenue_usd, _icp_v_industry, _icp_v_country, _icp_v_currencies_count, _icp_v_erp, _icp_v_tech_stack, _icp_v_triggers, _icp_c_employees, _icp_c_revenue_usd, _icp_c_industry, _icp_c_country, _icp_c_currencies_count, _icp_c_erp, _icp_c_tech_stack, _icp_t_0, _icp_t_1, _icp_t_2, _icp_disqualifier, _icp_total, _icp_share, _icp_p_0, _icp_p_1, _icp_p_2, _icp_p_3, _icp_p_4, _icp_p_5, _icp_p_6, _icp_p_7, _icp_p_8, _icp_p_9, _icp_rank_band, _icp_rank_score, _icp_rank),
  'emea-fintech-multicurrency' AS icp_id,
  '2026-Q4' AS icp_version,
  '' AS icp_commit,
  CASE WHEN _icp_disqualifier <> '' THEN CAST(0.0 AS DOUBLE) ELSE _icp_total END AS score,
  CASE
    WHEN _icp_disqualifier <> ''
    THEN 'disqualified'
    WHEN _icp_share > CAST(0.5 AS DOUBLE)
    THEN 'unknown'
    WHEN _icp_total >= CAST(85.0 AS DOUBLE)
    THEN 'strong'
    WHEN _icp_total >= CAST(70.0 AS DOUBLE)
    THEN 'good'
    WHEN _icp_total >= CAST(55.0 AS DOUBLE)
    THEN 'possible'
    WHEN _icp_total >= CAST(40.0 AS DOUBLE)
    THEN 'weak'
    ELSE 'poor'
  END AS band,
  CASE
    WHEN _icp_disqualifier <> ''
    THEN 'disqualified'
    WHEN _icp_share > CAST(0.5 AS DOUBLE)
    THEN 'insufficient_data'
    ELSE 'scored'
  END AS status,
  _icp_disqualifier AS disqualifier,
  _icp_share AS unknown_share,
  SUBSTRING(
    CASE WHEN _icp_c_employees IS NULL THEN ';employees' ELSE '' END || CASE WHEN _icp_c_revenue_usd IS NULL THEN ';revenue_usd' ELSE '' END || CASE WHEN _icp_c_industry IS NULL THEN ';industry' ELSE '' END || CASE WHEN _icp_c_country IS NULL THEN ';country' ELSE '' END || CASE WHEN _icp_c_currencies_count IS NULL THEN ';currencies_count' ELSE '' END || CASE WHEN _icp_c_erp IS NULL THEN ';erp' ELSE '' END || CASE WHEN _icp_c_tech_stack IS NULL THEN ';tech_stack' ELSE '' END,
    2
  ) AS unknown_fields,
  _icp_p_0 AS "points.employees",
  _icp_p_1 AS "points.revenue_usd",
  _icp_p_2 AS "points.industry",
  _icp_p_3 AS "points.country",
  _icp_p_4 AS "points.currencies_count",
  _icp_p_5 AS "points.erp",
  _icp_p_6 AS "points.tech_stack",
  _icp_p_7 AS "points.triggers.new-cfo",
  _icp_p_8 AS "points.triggers.acquisition-adds-currency",
  _icp_p_9 AS "points.triggers.regulatory-deadline",
  CASE CASE
      WHEN _icp_disqualifier <> ''
      THEN 'disqualified'
      WHEN _icp_share > CAST(0.5 AS DOUBLE)
      THEN 'unknown'
      WHEN _icp_total >= CAST(85.0 AS DOUBLE)
      THEN 'strong'
      WHEN _icp_total >= CAST(70.0 AS DOUBLE)
      THEN 'good'
      WHEN _icp_total >= CAST(55.0 AS DOUBLE)
      THEN 'possible'
      WHEN _icp_total >= CAST(40.0 AS DOUBLE)
      THEN 'weak'
      ELSE 'poor'
    END
    WHEN 'strong'
    THEN 'emea-enterprise-ae'
    WHEN 'good'
    THEN 'emea-ae'
    WHEN 'possible'
    THEN 'emea-sdr'
    WHEN 'weak'
    THEN 'nurture-multicurrency'
    WHEN 'poor'
    THEN 'no-outbound'
    WHEN 'disqualified'
    THEN 'refer-midmarket'
    WHEN 'unknown'
    THEN 'enrichment'
    ELSE ''
  END AS route,
  CASE CASE
      WHEN _icp_disqualifier <> ''
      THEN 'disqualified'
      WHEN _icp_share > CAST(0.5 AS DOUBLE)
      THEN 'unknown'
      WHEN _icp_total >= CAST(85.0 AS DOUBLE)
      THEN 'strong'
      WHEN _icp_total >= CAST(70.0 AS DOUBLE)
      THEN 'good'
      WHEN _icp_total >= CAST(55.0 AS DOUBLE)
      THEN 'possible'
      WHEN _icp_total >= CAST(40.0 AS DOUBLE)
      THEN 'weak'
      ELSE 'poor'
    END
    WHEN 'strong'
    THEN CAST(24.0 AS DOUBLE)
    WHEN 'good'
    THEN CAST(48.0 AS DOUBLE)
    WHEN 'possible'
    THEN CAST(96.0 AS DOUBLE)
    ELSE CAST(NULL AS DOUBLE)
  END AS sla_hours,
  CASE
    WHEN _icp_rank_band <= 0 AND _icp_rank <= 20
    THEN '1:1'
    WHEN _icp_rank_band <= 1 AND _icp_rank <= 100
    THEN '1:few'
    WHEN _icp_rank_band <= 3
    THEN '1:many'
    ELSE ''
  END AS abm_tier,
  CASE WHEN _icp_rank_band < 5 THEN _icp_rank END AS abm_rank
FROM icp_keyed
LEFT JOIN icp_ranks
  USING (_icp_rank_band, _icp_rank_score);
