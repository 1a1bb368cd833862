-- AlterTable
ALTER TABLE "RunnerRequest" ADD COLUMN     "githubCheck" JSONB;

