import { useId } from 'react';
import { useI18n } from '../../i18n';
import type { Answers, GuidedQuestion } from './types';
import './incidents.css';
import './incidents.messages';

/**
 * The type's guided yes/no questions, one radio group each (arrow keys move between Sí/No). An
 * unanswered question is absent from `answers`.
 */
export function GuidedQuestions({
  questions,
  answers,
  onChange,
}: {
  questions: readonly GuidedQuestion[];
  answers: Answers;
  onChange: (answers: Answers) => void;
}) {
  const { t } = useI18n();
  const base = useId();
  if (questions.length === 0) return null;
  const set = (code: string, value: boolean) => onChange({ ...answers, [code]: value });
  return (
    <fieldset className="guided">
      <legend>{t('incidents.guided.title')}</legend>
      {questions.map((q) => {
        const name = `${base}-${q.code}`;
        return (
          <fieldset key={q.code} className="guided__question" data-question={q.code}>
            <legend>
              {q.text}{' '}
              <span className="guided__raises">
                {t('incidents.guided.raises', { priority: q.priorityIfYes })}
              </span>
            </legend>
            <div className="guided__choices">
              <label>
                <input
                  type="radio"
                  name={name}
                  value="yes"
                  checked={answers[q.code] === true}
                  onChange={() => set(q.code, true)}
                />
                {t('incidents.guided.yes')}
              </label>
              <label>
                <input
                  type="radio"
                  name={name}
                  value="no"
                  checked={answers[q.code] === false}
                  onChange={() => set(q.code, false)}
                />
                {t('incidents.guided.no')}
              </label>
            </div>
          </fieldset>
        );
      })}
    </fieldset>
  );
}
