/**
 * Review of NGO work plans (legal, financial and monitoring reviews in parallel, then the authority),
 * on the shared workflow module. The plan submission calls `startPlanReview` in its transaction;
 * the outcomes move the plan (returned, rejected, approved with the amount committed on the call's
 * envelope) through the workflow handler registered here.
 */
import './review.messages.js';

export { PLAN_REVIEW, PLAN_SUBJECT, planReviewDefinition } from './review.definition.js';
export { PlanReview, planReviewRoutes } from './review.routes.js';
export {
  getPlanReview,
  organisationLinkedActors,
  recomputePlanReviewExclusions,
  type StartPlanReviewInput,
  startPlanReview,
} from './review.service.js';
